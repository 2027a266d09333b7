# Meta-learned label refurbishment, hard prediction term.
_base_ = ['../_base_/protocols/meta_fashionmnist.py']
# 1 epoch (461 steps) of plain CE before refurbishing: from scratch the
# first predictions are one class (see MetaRefurbishClassifier).
model = dict(type='MetaRefurbishClassifier', target='hard', warmup_iters=461)
