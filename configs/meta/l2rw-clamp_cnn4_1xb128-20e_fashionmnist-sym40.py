# L2RW (clamp weights) on Fashion-MNIST, 40 % symmetric noise, 1,000 meta.
_base_ = ['../_base_/protocols/meta_fashionmnist.py']
model = dict(type='L2RWClassifier', weighting='clamp')
