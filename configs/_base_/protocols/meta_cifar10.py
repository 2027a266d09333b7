# Meta-Weight-Net's CIFAR protocol (MW-Net.py): ResNet-32, 1,000 clean
# training images (100 per class) carved out *before* corruption as the meta
# set, the other 49,000 noisy; batch 100 and meta batch 100; SGD lr 0.1,
# momentum 0.9, weight decay 5e-4, 120 epochs, x0.1 at epochs 80 and 100;
# crop 32 of the image reflect-padded by 4, flip; MW-Net's mean / std; its
# initialisation (resnet.py _weights_init: kaiming_normal on every conv and
# linear weight, i.e. fan_in; BatchNorm and the linear bias at PyTorch's
# defaults).
_base_ = ['../default_runtime.py']
num_classes = 10
cifar = dict(
    type='CIFAR10', data_root='data/cifar10', split='train', download=False)
data_preprocessor = dict(
    num_classes=num_classes,
    mean=[125.3, 123.0, 113.9],
    std=[63.0, 62.1, 66.7],
    to_rgb=False)
model = dict(
    type='ImageClassifier',
    backbone=dict(
        type='CIFARResNet',
        depth=32,
        init_cfg=[
            dict(type='Kaiming', layer='Conv2d', mode='fan_in',
                 nonlinearity='relu', distribution='normal')
        ]),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=num_classes,
        in_channels=64,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
        init_cfg=dict(type='KeepBias', init=dict(
            type='Kaiming', layer='Linear', mode='fan_in',
            nonlinearity='relu', distribution='normal'))))
split = dict(type='MetaSplitDataset', num_per_class=100, seed=0)
train_dataloader = dict(
    batch_size=100,
    num_workers=4,
    dataset=dict(
        type='NoisyLabelDataset',
        dataset=dict(
            dataset=dict(
                pipeline=[
                    dict(type='RandomCrop', crop_size=32, padding=4,
                         padding_mode='reflect'),
                    dict(type='RandomFlip', prob=0.5,
                         direction='horizontal'),
                    dict(type='PackNoisyInputs'),
                ],
                **cifar),
            split='train',
            **split),
        # MW-Net "unif": uniform over all classes (flip rate 0.4 * 0.9).
        noise=dict(type='symmetric_inclusive', rate=0.4),
        seed=0),
    sampler=dict(type='DefaultSampler', shuffle=True))
meta_dataloader = dict(
    batch_size=100,
    num_workers=2,
    dataset=dict(
        dataset=dict(
            pipeline=[
                dict(type='RandomCrop', crop_size=32, padding=4,
                     padding_mode='reflect'),
                dict(type='RandomFlip', prob=0.5, direction='horizontal'),
                dict(type='PackInputs'),
            ],
            **cifar),
        split='meta',
        **split),
    sampler=dict(type='DefaultSampler', shuffle=True),
    collate_fn=dict(type='default_collate'))
val_dataloader = dict(
    batch_size=256,
    num_workers=4,
    dataset=dict(
        type=cifar['type'],
        data_root=cifar['data_root'],
        split='test',
        download=False,
        pipeline=[dict(type='PackInputs')]),
    sampler=dict(type='DefaultSampler', shuffle=False))
val_evaluator = dict(type='Accuracy', topk=(1, ))
test_dataloader = val_dataloader
test_evaluator = val_evaluator
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=5e-4))
param_scheduler = dict(
    type='MultiStepLR', by_epoch=True, milestones=[80, 100], gamma=0.1)
train_cfg = dict(
    type='MetaEpochBasedTrainLoop',
    max_epochs=120,
    val_interval=1,
    meta_dataloader=meta_dataloader)
val_cfg = dict()
test_cfg = dict()
auto_scale_lr = dict(base_batch_size=100)
model_wrapper_cfg = dict(type='mmpretrain.MetaDistributedDataParallel')
custom_hooks = _base_.custom_hooks + [dict(type='MetaDiagnosticsHook')]
