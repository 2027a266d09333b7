# Reweighting (clamp weights), 40 % noise, the fixed "clean 5" meta batch.
_base_ = ['../_base_/protocols/meta_isic2019.py']
model = dict(type='L2RWClassifier', weighting='clamp')
