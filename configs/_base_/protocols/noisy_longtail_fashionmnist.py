# Noisy and imbalanced Fashion-MNIST (Debian's dataset-fashion-mnist), the
# Dynamic Loss protocol at CPU size: 100 clean images per class set aside
# first (the meta set of the L2RW baseline), then imbalance
# n_c = int(n_max * 0.1^(c/9)), then 40 % of the labels resampled from the
# long-tailed prior. The 4-layer CNN, batch 128, SGD lr 0.05 with a 2-epoch
# linear warm-up and cosine decay, 20 epochs; strong view = crop + flip,
# weak view = the image as loaded.
_base_ = [
    '../models/cnn4_mnist.py', '../datasets/fashion_mnist_bs128.py',
    '../default_runtime.py'
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
            type='LongTailDataset',
            imbalance_ratio=0.1,
            dataset=dict(
                dataset=dict(
                    pipeline=[
                        dict(type='StoreWeakView'),
                        dict(type='RandomCrop', crop_size=28, padding=2),
                        dict(type='RandomFlip', prob=0.5,
                             direction='horizontal'),
                        dict(type='PackNoisyInputs',
                             algorithm_keys=['weak_img']),
                    ],
                    **fmnist),
                split='train',
                **split)),
        noise=dict(_delete_=True, type='prior_resample', rate=0.4)),
    sampler=dict(type='ExcludeSampler', shuffle=True))
meta_dataloader = dict(
    batch_size=100,
    num_workers=0,
    dataset=dict(
        dataset=dict(pipeline=[dict(type='PackInputs')], **fmnist),
        split='meta',
        **split),
    sampler=dict(type='DefaultSampler', shuffle=True),
    collate_fn=dict(type='default_collate'))
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.05, momentum=0.9, weight_decay=5e-4))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=True, begin=0, end=2,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', by_epoch=True, begin=2, end=20, T_max=18,
         eta_min=0.0),
]
train_cfg = dict(by_epoch=True, max_epochs=20, val_interval=1)
val_cfg = dict()
test_cfg = dict()
auto_scale_lr = dict(base_batch_size=128)
model_wrapper_cfg = dict(type='mmpretrain.MetaDistributedDataParallel')
