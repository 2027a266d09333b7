# Meta-learning on scikit-learn digits (embedded): 10 clean images per class
# carved out *before* corruption as the meta set, the rest noisy (40 %
# symmetric), SmallCNN, batch 64, SGD momentum 0.9, lr 0.05 cosine, 30 epochs.
_base_ = [
    '../models/small_cnn.py', '../datasets/digits_bs64.py',
    '../schedules/sgd_cosine.py', '../default_runtime.py'
]
split = dict(type='MetaSplitDataset', num_per_class=10, seed=0)
train_dataloader = dict(
    dataset=dict(
        dataset=dict(
            _delete_=True,
            dataset=dict(
                type='SklearnDigits',
                split='train',
                pipeline=[dict(type='PackNoisyInputs')]),
            split='train',
            **split)))
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
train_cfg = dict(
    _delete_=True,
    type='MetaEpochBasedTrainLoop',
    max_epochs=30,
    val_interval=1,
    meta_dataloader=meta_dataloader)
# Routes train_step to the bilevel step under DDP (plain models unchanged).
model_wrapper_cfg = dict(type='mmpretrain.MetaDistributedDataParallel')
custom_hooks = _base_.custom_hooks + [dict(type='MetaDiagnosticsHook')]
optim_wrapper = dict(optimizer=dict(lr=0.05))
auto_scale_lr = dict(base_batch_size=64)
default_hooks = dict(logger=dict(interval=10))
