# Co-teaching, the official CIFAR-10 setting (bhanML/Co-teaching main.py;
# README: 72.85 % at 45 % pair-flip): the 9-layer CNN, pair-flip noise c ->
# c + 1 at 45 % (exactly floor(0.45 n_c) labels per class; the official
# noisify draws each label), forget rate = the noise rate, T_k = 10, the
# official rate schedule; a single mean (the official 1/R^2 is
# model.double_norm=True). Dropout is active in training only; the paper's
# PyTorch 0.3 run had none: --cfg-options model.backbone.dropout=off
_base_ = ['../_base_/protocols/coteaching_cifar10.py']
model = dict(
    type='CoTeachingClassifier',
    forget_rate=0.45,
    backbone=dict(type='CoTeachingCNN'),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(in_channels=128))
train_dataloader = dict(
    dataset=dict(noise=dict(_delete_=True, type='pairflip', rate=0.45)))
