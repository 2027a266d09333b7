# Fashion-MNIST from IDX .gz files (Debian: apt install dataset-fashion-mnist).
dataset_type = 'IDXFashionMNIST'
data_root = '/usr/share/datasets/fashion-mnist'
data_preprocessor = dict(
    num_classes=10, mean=[72.94], std=[90.02], to_rgb=False)

train_pipeline = [
    dict(type='RandomCrop', crop_size=28, padding=2),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackNoisyInputs'),
]
test_pipeline = [dict(type='PackInputs')]

train_dataloader = dict(
    batch_size=128,
    num_workers=2,
    dataset=dict(
        type='NoisyLabelDataset',
        dataset=dict(
            type=dataset_type,
            data_root=data_root,
            split='train',
            pipeline=train_pipeline),
        noise=dict(type='symmetric', rate=0.4),
        seed=0),
    sampler=dict(type='DefaultSampler', shuffle=True),
    # fixed-size images: stack the batch once (mmengine's default_collate)
    # instead of a list the preprocessor normalises image by image; same
    # numbers, less Python per sample (tools/benchmarks/train_throughput.py)
    collate_fn=dict(type='default_collate'),
)
val_dataloader = dict(
    batch_size=512,
    num_workers=2,
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        split='test',
        pipeline=test_pipeline),
    sampler=dict(type='DefaultSampler', shuffle=False),
    collate_fn=dict(type='default_collate'),
)
val_evaluator = dict(type='Accuracy', topk=(1, ))
test_dataloader = val_dataloader
test_evaluator = val_evaluator
