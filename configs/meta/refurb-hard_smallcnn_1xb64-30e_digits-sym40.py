# Meta-learned label refurbishment, hard prediction term.
_base_ = ['../_base_/protocols/meta_digits.py']
# 5 epochs (100 steps) of plain CE before refurbishing: from scratch the
# first predictions are one class (see MetaRefurbishClassifier).
model = dict(type='MetaRefurbishClassifier', target='hard', warmup_iters=100)
