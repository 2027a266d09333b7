# Noisy and imbalanced digits (embedded), the Dynamic Loss protocol at CPU
# size: 10 clean images per class set aside first (the meta set of the
# L2RW baseline; unused otherwise, so every method trains on the same
# images), then imbalance n_c = int(n_max * 0.1^(c/9)) (LongTailDataset),
# then 40 % of the labels resampled from the long-tailed class prior
# (prior_resample). SmallCNN, batch 64, SGD lr 0.05 with a 5-epoch linear
# warm-up and cosine decay, 30 epochs. The weak view travels with every
# sample (StoreWeakView) for Dynamic Loss.
_base_ = [
    '../models/small_cnn.py', '../datasets/digits_bs64.py',
    '../default_runtime.py'
]
split = dict(type='MetaSplitDataset', num_per_class=10, seed=0)
train_dataloader = dict(
    dataset=dict(
        dataset=dict(
            _delete_=True,
            type='LongTailDataset',
            imbalance_ratio=0.1,
            dataset=dict(
                dataset=dict(
                    type='SklearnDigits',
                    split='train',
                    pipeline=[
                        dict(type='StoreWeakView'),
                        dict(type='PackNoisyInputs',
                             algorithm_keys=['weak_img']),
                    ]),
                split='train',
                **split)),
        noise=dict(_delete_=True, type='prior_resample', rate=0.4)),
    sampler=dict(type='ExcludeSampler', shuffle=True))
meta_dataloader = dict(
    batch_size=64,
    num_workers=0,
    dataset=dict(
        dataset=dict(
            type='SklearnDigits',
            split='train',
            pipeline=[dict(type='PackInputs')]),
        split='meta',
        **split),
    sampler=dict(type='DefaultSampler', shuffle=True),
    collate_fn=dict(type='default_collate'))
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.05, momentum=0.9, weight_decay=5e-4))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=True, begin=0, end=5,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', by_epoch=True, begin=5, end=30, T_max=25,
         eta_min=0.0),
]
train_cfg = dict(by_epoch=True, max_epochs=30, val_interval=1)
val_cfg = dict()
test_cfg = dict()
auto_scale_lr = dict(base_batch_size=64)
model_wrapper_cfg = dict(type='mmpretrain.MetaDistributedDataParallel')
default_hooks = dict(logger=dict(interval=10))
