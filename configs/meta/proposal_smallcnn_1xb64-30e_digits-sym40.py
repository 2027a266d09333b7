# Reweighting and hard refurbishment on alternate steps ("proposal").
_base_ = ['../_base_/protocols/meta_digits.py']
model = dict(type='MetaProposalClassifier', warmup_iters=100)
