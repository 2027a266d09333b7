# ELR+'s official CIFAR training (shengliu66/ELR ELR_plus/config_cifar10
# .json, config_cifar10_asym.json, config_cifar100.json), as helpers: an
# ELR+ leaf lists this file beside the ELR leaf of the same data
# (ELR_plus/data_loader is ELR/data_loader: 45,000 training images, the
# same noise and transforms) and replaces that leaf's model, optimizer,
# schedule and loop with these. arch1 / arch2 PreActResNet18 (model/
# PreResNet.py, PyTorch's default init); mixup_alpha 1; ema_alpha 0.997,
# ema_update true, ema_step 40000; optimizer1 / optimizer2 SGD lr 0.02,
# momentum 0.9, weight_decay 5e-4; batch 128 (each network its own
# loader); the test averages the two networks' logits. The leaf sets beta,
# lambda, coef_step, the schedule and the epochs.
_elr_plus_model = dict(
    _delete_=True,
    type='ELRPlusClassifier',
    backbone=dict(type='PreActResNet18'),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=10,
        in_channels=512,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
        init_cfg=[]),
    mixup_alpha=1.0,
    ema_decay=0.997,
    ema_rampup='sigmoid',
    ema_rampup_steps=40000,
    eval_mode='logit_sum')
_elr_plus_optim_wrapper = dict(
    _delete_=True,
    constructor='TwoNetworkOptimWrapperConstructor',
    optimizer=dict(type='SGD', lr=0.02, momentum=0.9, weight_decay=5e-4))
_elr_plus_evaluator = [
    dict(type='Accuracy', topk=(1, )),
    dict(type='TwoNetworkAccuracy')
]
