# Reweighting and hard refurbishment on alternate steps ("proposal"), after
# the same 2-epoch warm-up as refurbishment; uses the 1,000 clean meta
# images.
_base_ = ['../_base_/protocols/fashionmnist_bench_meta.py']
model = dict(type='MetaProposalClassifier', warmup_iters=298)
