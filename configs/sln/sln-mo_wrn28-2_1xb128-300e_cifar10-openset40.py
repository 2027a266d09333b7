# SLN-MO: SLN with the momentum (EMA) model, sigma=0.5;
# open-set noise: 40 % of the images replaced by CIFAR-100 training
# images, labels kept.
_base_ = ['../_base_/protocols/sln_cifar10.py']
train_dataloader = dict(dataset=dict(noise=dict(
        _delete_=True,
        type='openset',
        rate=0.4,
        source=dict(
            type='CIFAR100',
            data_root='data/cifar100',
            split='train',
            download=False))))
model = dict(head=dict(loss=dict(type='SLNLoss', sigma=0.5)))
custom_hooks = _base_.custom_hooks + [
    dict(type='MomentumModelHook', decay=0.999),
    # The raw (non-EMA) model's clean-test summary.
    dict(type='AccuracySummaryHook', metric='raw/accuracy/top1',
         filename='summary_raw.json'),
]
