# ELR on scikit-learn digits, 80 % symmetric noise: the robust-loss digits
# protocol (4-layer CNN on 8x8, SGD lr 0.05 cosine over 30 epochs), the
# official CIFAR-10 symmetric setting beta 0.7, lambda 3.
_base_ = ['../_base_/protocols/alfs_digits.py']
model = dict(type='ELRClassifier', beta=0.7, lambda_elr=3.0)
custom_hooks = _base_.custom_hooks + [dict(type='SampleStoreHook')]
train_dataloader = dict(dataset=dict(noise=dict(type='symmetric', rate=0.8)))
