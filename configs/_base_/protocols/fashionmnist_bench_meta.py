# The Fashion-MNIST benchmark protocol (fashionmnist_bench.py) for the
# methods that need clean data: 100 images per class (1,000) carved, with
# their clean labels, out of the same 20,000 training images *before*
# corruption (the meta set); the other 19,000 are corrupted and trained on.
# Meta batch 100 (the L2RW / MW-Net protocols); the leaf sets the method.
_base_ = ['./fashionmnist_bench.py']
fmnist = dict(
    type='IDXFashionMNIST',
    data_root='/usr/share/datasets/fashion-mnist',
    split='train',
    indices=20000)
split = dict(type='MetaSplitDataset', num_per_class=100, seed=0)
train_dataloader = dict(
    dataset=dict(
        dataset=dict(
            _delete_=True,
            dataset=dict(pipeline=[dict(type='PackNoisyInputs')], **fmnist),
            split='train',
            **split)))
meta_dataloader = dict(
    batch_size=100,
    num_workers=0,
    dataset=dict(
        dataset=dict(pipeline=[dict(type='PackInputs')], **fmnist),
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
model_wrapper_cfg = dict(type='mmpretrain.MetaDistributedDataParallel')
custom_hooks = _base_.custom_hooks + [dict(type='MetaDiagnosticsHook')]
