# Robust-loss protocol on CIFAR-10, 8-layer CNN, ALFs/APL protocol: 120 epochs.
# 40 % symmetric noise; the leaf config sets the loss.
_base_ = [
    '../models/cnn8_cifar10.py',
    '../datasets/cifar10_bs128.py',
    '../schedules/alfs_cifar10_120e.py',
    '../default_runtime.py'
]
# ALFs / APL normalisation (dataset.py): mean (0.4914, 0.4822, 0.4465),
# std (0.2470, 0.2435, 0.2616), x 255; the dataset base has GLS's std.
data_preprocessor = dict(std=[62.985, 62.0925, 66.708])
# The official code initialises the FC weight only (Xavier-uniform); its bias
# keeps PyTorch's default U(+-1/sqrt(fan_in)). KeepBias does the same.
model = dict(head=dict(init_cfg=dict(
    _delete_=True, type='KeepBias',
    init=dict(type='Xavier', layer='Linear', distribution='uniform'))))
