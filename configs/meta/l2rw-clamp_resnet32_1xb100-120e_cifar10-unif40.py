# L2RW (clamp weights), 40 % uniform noise, 1,000-image clean meta set.
_base_ = ['../_base_/protocols/meta_cifar10.py']
model = dict(type='L2RWClassifier', weighting='clamp')
