# Reweighting and hard refurbishment on alternate steps ("proposal").
_base_ = ['../_base_/protocols/meta_fashionmnist.py']
model = dict(type='MetaProposalClassifier', warmup_iters=461)
