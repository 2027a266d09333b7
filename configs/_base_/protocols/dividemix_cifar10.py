# The official CIFAR-10 protocol of DivideMix (LiJunnan1992/DivideMix
# Train_cifar.py, dataloader_cifar.py): two PreAct ResNet-18s, each its own
# SGD (lr 0.02, momentum 0.9, wd 5e-4), lr x0.1 from epoch 150, 301 epochs
# (the official range(300 + 1)), warm-up 10 epochs at batch 128 (2 x 64),
# then 64 labelled + 64 unlabelled per step; two views of RandomCrop(32,
# padding 4) + horizontal flip, the division pass and the test on the plain
# normalised images; test prediction = the argmax of the summed logits. The
# leaf sets the noise and lambda_u / p_threshold (the paper's Table 7).
_base_ = ['../datasets/cifar10_bs128.py', '../default_runtime.py']
data_preprocessor = dict(
    mean=[0.4914 * 255, 0.4822 * 255, 0.4465 * 255],
    std=[0.2023 * 255, 0.1994 * 255, 0.2010 * 255])
augment = [
    dict(type='RandomCrop', crop_size=32, padding=4),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
]
train_dataloader = dict(
    batch_size=128,
    dataset=dict(
        dataset=dict(pipeline=[
            dict(type='ExtraAugmentedView', transforms=augment),
            *augment,
            dict(type='PackNoisyInputs', algorithm_keys=['view2']),
        ])))
# PyTorch's default initialisation everywhere, as the official code.
model = dict(
    type='DivideMixClassifier',
    backbone=dict(type='PreActResNet18'),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=10,
        in_channels=512,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
        init_cfg=[]),
    lambda_u=25.0,
    eval_mode='logit_sum')
optim_wrapper = dict(
    constructor='TwoNetworkOptimWrapperConstructor',
    optimizer=dict(type='SGD', lr=0.02, momentum=0.9, weight_decay=5e-4))
param_scheduler = dict(
    type='MultiStepLR', by_epoch=True, milestones=[150], gamma=0.1)
train_cfg = dict(
    type='DivideMixTrainLoop',
    max_epochs=301,
    val_interval=1,
    warmup_epochs=10,
    p_threshold=0.5,
    ssl_batch_size=64)
val_cfg = dict()
test_cfg = dict()
auto_scale_lr = dict(base_batch_size=128)
model_wrapper_cfg = dict(type='mmpretrain.MetaDistributedDataParallel')
val_evaluator = [
    dict(type='Accuracy', topk=(1, )),
    dict(type='TwoNetworkAccuracy')
]
test_evaluator = val_evaluator
