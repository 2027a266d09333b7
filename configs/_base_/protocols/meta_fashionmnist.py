# Meta-learning on Fashion-MNIST (Debian's dataset-fashion-mnist): 100 clean
# images per class (1,000) carved out *before* corruption as the meta set,
# the other 59,000 noisy (40 % symmetric), the 4-layer CNN, batch 128 and
# meta batch 100, SGD momentum 0.9, lr 0.05 cosine, 20 epochs.
_base_ = [
    '../models/cnn4_mnist.py', '../datasets/fashion_mnist_bs128.py',
    '../schedules/sgd_cosine.py', '../default_runtime.py'
]
fmnist = dict(
    type='IDXFashionMNIST',
    data_root='/usr/share/datasets/fashion-mnist',
    split='train')
split = dict(type='MetaSplitDataset', num_per_class=100, seed=0)
train_dataloader = dict(
    dataset=dict(
        dataset=dict(
            _delete_=True,
            dataset=dict(
                pipeline=[
                    dict(type='RandomCrop', crop_size=28, padding=2),
                    dict(type='RandomFlip', prob=0.5,
                         direction='horizontal'),
                    dict(type='PackNoisyInputs'),
                ],
                **fmnist),
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
    max_epochs=20,
    val_interval=1,
    meta_dataloader=meta_dataloader)
model_wrapper_cfg = dict(type='mmpretrain.MetaDistributedDataParallel')
custom_hooks = _base_.custom_hooks + [dict(type='MetaDiagnosticsHook')]
optim_wrapper = dict(optimizer=dict(lr=0.05))
param_scheduler = dict(T_max=20)
