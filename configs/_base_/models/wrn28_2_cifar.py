# WRN-28-2 (SLN's CIFAR network, chenpf1025/SLN networks/wideresnet.py):
# 1.47 M parameters, 128-d features, PyTorch's default initialisation for
# the backbone and the linear head (no init_cfg), and the last BatchNorm
# built with momentum 0.9 as the official code does (PyTorch semantics: the
# running statistics follow the current batch; WideResNetCIFAR's own default
# is 0.1).
model = dict(
    type='ImageClassifier',
    backbone=dict(
        type='WideResNetCIFAR',
        depth=28,
        widen_factor=2,
        final_bn_momentum=0.9),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=10,
        in_channels=128,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
        init_cfg=[],
    ))
