# Co-teaching, the official CIFAR-100 setting (bhanML/Co-teaching main.py;
# README: 41.23 % at 50 % symmetric): the 9-layer CNN, lr / beta1 decay
# from official epoch 100, 50 % symmetric noise drawn per sample (the
# official noisify: the true class excluded), forget rate = the noise rate,
# T_k = 10; a single mean (the official 1/R^2 is model.double_norm=True).
# Dropout is active in training only; the paper's PyTorch 0.3 run had none:
# --cfg-options model.backbone.dropout=off
_base_ = ['../_base_/protocols/coteaching_cifar100.py']
model = dict(
    type='CoTeachingClassifier',
    forget_rate=0.5,
    backbone=dict(type='CoTeachingCNN'),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(in_channels=128))
train_dataloader = dict(
    dataset=dict(
        noise=dict(_delete_=True, type='symmetric', rate=0.5, exact=False)))
