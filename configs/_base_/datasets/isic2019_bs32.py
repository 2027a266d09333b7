# ISIC 2019 subset (tools/dataset_converters/isic2019_split.py makes the CSVs).
dataset_type = 'ISIC2019'
data_root = 'data/isic2019'
data_preprocessor = dict(
    num_classes=8,
    mean=[123.675, 116.28, 103.53],
    std=[255.0, 255.0, 255.0],  # the seed normalises with std 1.0 on [0, 1]
    to_rgb=True)

train_pipeline = [
    dict(type='LoadImageFromFile'),
    # RandomRotation(180): an angle uniform in [-180, 180] degrees.
    dict(type='Rotate', angle=None, magnitude_range=(0, 180),
         magnitude_std='inf', random_negative_prob=0.5, prob=1.0,
         interpolation='bilinear'),
    dict(type='RandomResizedCrop', scale=224, crop_ratio_range=(0.3, 1.0)),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackNoisyInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='ResizeEdge', scale=256, edge='short'),
    dict(type='CenterCrop', crop_size=224),
    dict(type='PackInputs'),
]

train_dataloader = dict(
    batch_size=32,
    num_workers=4,
    dataset=dict(
        type='NoisyLabelDataset',
        dataset=dict(
            type=dataset_type,
            data_root=data_root,
            ann_file='ISIC_2019_Training_GroundTruth_sub5000_train.csv',
            pipeline=train_pipeline),
        noise=dict(type='symmetric', rate=0.2),
        seed=0),
    sampler=dict(type='DefaultSampler', shuffle=True),
)
val_dataloader = dict(
    batch_size=64,
    num_workers=4,
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='ISIC_2019_Training_GroundTruth_sub1250_test.csv',
        pipeline=test_pipeline),
    sampler=dict(type='DefaultSampler', shuffle=False),
)
val_evaluator = dict(type='Accuracy', topk=(1, ))
test_dataloader = val_dataloader
test_evaluator = val_evaluator
