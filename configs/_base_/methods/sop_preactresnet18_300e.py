# SOP's official CIFAR training (shengliu66/SOP config_cifar100.json and
# the README commands), shared by the CIFAR-10 and CIFAR-100 leaves, which
# list it beside their dataset base: arch PreActResNet18 (model/
# PreResNet.py, PyTorch's default init); batch 128 (the dataset base);
# optimizer SGD lr 0.02, momentum 0.9, weight_decay 1e-3;
# optimizer_overparametrization SGD momentum 0, weight_decay 0 with lr_u,
# lr_v (the README's symmetric values 1 and 10); reparam_arch init
# Normal(0, 1e-8) (the classifier's default); lr_scheduler
# CosineAnnealingLR(T_max=300, eta_min=0.0002), per epoch, network only;
# trainer.epochs 300; num_examp 50,000 (train_val_split keeps every image).
# The leaf sets head.num_classes (10 here), the noise and the hooks.
model = dict(
    type='SOPClassifier',
    num_samples=50000,
    backbone=dict(type='PreActResNet18'),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=10,
        in_channels=512,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
        init_cfg=[]))
optim_wrapper = dict(
    constructor='SOPOptimWrapperConstructor',
    model=dict(
        optimizer=dict(type='SGD', lr=0.02, momentum=0.9,
                       weight_decay=1e-3)),
    sop=dict(
        optimizer=dict(type='SGD', momentum=0, weight_decay=0),
        lr_u=1,
        lr_v=10))
param_scheduler = dict(
    model=[
        dict(
            type='CosineAnnealingLR',
            by_epoch=True,
            T_max=300,
            eta_min=0.0002)
    ],
    sop=[])
train_cfg = dict(by_epoch=True, max_epochs=300, val_interval=1)
val_cfg = dict()
test_cfg = dict()
auto_scale_lr = dict(base_batch_size=128)
model_wrapper_cfg = dict(type='mmpretrain.MetaDistributedDataParallel')
