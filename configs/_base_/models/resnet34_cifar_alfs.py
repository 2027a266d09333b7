# CIFAR ResNet-34 (3x3 stem, no max-pool, [3, 4, 6, 3] basic blocks) with the
# ALFs initialisation: convs Kaiming-uniform (fan_in, ReLU), every BN gamma 1
# (no zero-initialised last BN of a block), FC weight Xavier-uniform with the
# bias at PyTorch's default (KeepBias), as the official init loop leaves it.
_base_ = ['./resnet_cifar.py']
model = dict(
    backbone=dict(
        depth=34,
        zero_init_residual=False,
        init_cfg=[
            dict(type='Kaiming', layer='Conv2d', mode='fan_in',
                 nonlinearity='relu', distribution='uniform'),
            dict(type='Constant', val=1, layer=['_BatchNorm'])
        ]),
    head=dict(num_classes=100,
              init_cfg=dict(type='KeepBias', init=dict(
                  type='Xavier', layer='Linear', distribution='uniform'))))
