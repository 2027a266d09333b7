# Meta label refurbishment (hard), 40 % noise, "clean 5". The seed starts
# from ImageNet weights; from scratch, 10 epochs (1,570 steps) of CE come
# first (see MetaRefurbishClassifier).
_base_ = ['../_base_/protocols/meta_isic2019.py']
model = dict(
    type='MetaRefurbishClassifier', target='hard', warmup_iters=1570)
