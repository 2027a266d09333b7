# L2RW (clamp weights) on digits, 40 % symmetric noise, 100-image meta set.
_base_ = ['../_base_/protocols/meta_digits.py']
model = dict(type='L2RWClassifier', weighting='clamp')
