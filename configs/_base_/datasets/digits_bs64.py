# scikit-learn digits (embedded, no download), noisy train / clean test.
dataset_type = 'SklearnDigits'
data_preprocessor = dict(
    num_classes=10, mean=[77.8], std=[96.0], to_rgb=False)

train_pipeline = [dict(type='PackNoisyInputs')]
test_pipeline = [dict(type='PackInputs')]

train_dataloader = dict(
    batch_size=64,
    num_workers=0,
    dataset=dict(
        type='NoisyLabelDataset',
        dataset=dict(
            type=dataset_type, split='train', pipeline=train_pipeline),
        noise=dict(type='symmetric', rate=0.4),
        seed=0),
    sampler=dict(type='DefaultSampler', shuffle=True),
    # fixed-size images: stack the batch once (mmengine's default_collate)
    # instead of a list the preprocessor normalises image by image; same
    # numbers, less Python per sample (tools/benchmarks/train_throughput.py)
    collate_fn=dict(type='default_collate'),
)
val_dataloader = dict(
    batch_size=256,
    num_workers=0,
    dataset=dict(type=dataset_type, split='test', pipeline=test_pipeline),
    sampler=dict(type='DefaultSampler', shuffle=False),
    collate_fn=dict(type='default_collate'),
)
val_evaluator = dict(type='Accuracy', topk=(1, ))
test_dataloader = val_dataloader
test_evaluator = val_evaluator
