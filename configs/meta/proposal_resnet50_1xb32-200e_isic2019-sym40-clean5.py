# The seed's "proposal": reweighting and hard refurbishment on alternate
# steps, each sample's latest weight and trust applied; 40 % noise.
_base_ = ['../_base_/protocols/meta_isic2019.py']
model = dict(type='MetaProposalClassifier', warmup_iters=1570)
