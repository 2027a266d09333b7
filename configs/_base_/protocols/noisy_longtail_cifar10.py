# Dynamic Loss's noisy and imbalanced CIFAR-10 (jiangwenj02/dynamic_loss):
# imbalance first, n_c = int(5000 * rho^(c/9)) (LongTailDataset), then each
# label resampled with probability r from the long-tailed class prior
# (prior_resample). ResNet-32 at PyTorch's default init (the official code
# never calls the classifier's init_weights); batch 512; SGD lr 0.1, momentum
# 0.9, weight decay 5e-4, cosine to 0 over the 325 epochs (stepped per epoch)
# times a linear warm-up from 0.1 over the first 5 (per iteration), as
# mmcv's lr_config; evaluated every epoch. Strong view: crop 32 / pad 4,
# flip, the official CIFAR-10 AutoAugment policy, Cutout 16; weak view: the
# image as loaded (normalisation only).
_base_ = ['../default_runtime.py']
num_classes = 10
cifar = dict(
    type='CIFAR10', data_root='data/cifar10', split='train', download=False)
data_preprocessor = dict(
    num_classes=num_classes,
    mean=[125.307, 122.961, 113.8575],
    std=[51.5865, 50.847, 51.255],
    to_rgb=False)
model = dict(
    type='ImageClassifier',
    backbone=dict(type='CIFARResNet', depth=32, init_cfg=[]),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=num_classes,
        in_channels=64,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
        init_cfg=[]))
train_dataloader = dict(
    batch_size=512,
    num_workers=8,
    dataset=dict(
        type='NoisyLabelDataset',
        dataset=dict(
            type='LongTailDataset',
            imbalance_ratio=0.1,
            n_max=5000,
            dataset=dict(
                pipeline=[
                    dict(type='StoreWeakView'),
                    dict(type='RandomCrop', crop_size=32, padding=4),
                    dict(type='RandomFlip', prob=0.5,
                         direction='horizontal'),
                    dict(type='CIFAR10AutoAugment'),
                    dict(type='Cutout', shape=16, prob=1.0),
                    dict(type='PackNoisyInputs',
                         algorithm_keys=['weak_img']),
                ],
                **cifar)),
        noise=dict(type='prior_resample', rate=0.4),
        seed=0),
    sampler=dict(type='ExcludeSampler', shuffle=True))
val_dataloader = dict(
    batch_size=512,
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
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=True, begin=0, end=5,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', by_epoch=True, begin=0, end=325,
         T_max=325, eta_min=0.0),
]
train_cfg = dict(by_epoch=True, max_epochs=325, val_interval=1)
val_cfg = dict()
test_cfg = dict()
auto_scale_lr = dict(base_batch_size=512)
model_wrapper_cfg = dict(type='mmpretrain.MetaDistributedDataParallel')
