# plain cross-entropy (the baseline);
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
