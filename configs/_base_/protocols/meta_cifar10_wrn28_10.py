# Meta-Weight-Net's WRN-28-10 protocol (train_WRN-28-10_Meta_PGC.py): the
# data, meta set and noise of meta_cifar10.py; WRN-28-10 with MW-Net's own
# block (stride on the first conv, no biases, the shortcut on the
# pre-activated input), its init (convs N(0, sqrt(2 / (k * k * out))), BN 1
# / 0, the head's bias 0 and weight at PyTorch's default); SGD lr 0.1,
# momentum 0.9, Nesterov, weight decay 5e-4, x0.1 at iterations 18,000 and
# 19,000 of 20,000 (41 epochs of 490 batches here: 20,090 iterations; the
# script draws every batch afresh, next(iter(loader)), where this loop
# goes through the set epoch by epoch); V-Net on SGD 1e-3 with the same
# momentum, Nesterov and weight decay, fixed.
_base_ = ['./meta_cifar10.py']
model = dict(
    backbone=dict(
        _delete_=True,
        type='WideResNetCIFAR',
        depth=28,
        widen_factor=10,
        block_style='mwnet',
        init_cfg=[
            dict(type='Kaiming', layer='Conv2d', mode='fan_out',
                 nonlinearity='relu', distribution='normal'),
            dict(type='Constant', val=1, layer=['_BatchNorm'])
        ]),
    head=dict(
        in_channels=640,
        # PyTorch's default Linear weight (kaiming_uniform, a = sqrt(5)),
        # bias 0, as the official init loop leaves it
        init_cfg=dict(
            _delete_=True, type='Kaiming', layer='Linear',
            a=2.23606797749979, mode='fan_in', nonlinearity='leaky_relu',
            distribution='uniform', bias=0)))
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.1, momentum=0.9, nesterov=True,
                   weight_decay=5e-4))
param_scheduler = dict(
    _delete_=True, type='MultiStepLR', by_epoch=False,
    milestones=[18000, 19000], gamma=0.1)
train_cfg = dict(max_epochs=41)
