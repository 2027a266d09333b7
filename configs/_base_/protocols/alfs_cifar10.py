# Robust-loss protocol on CIFAR-10, 8-layer CNN, ALFs/APL protocol: 120 epochs.
# 40 % symmetric noise; the leaf config sets the loss.
_base_ = [
    '../models/cnn8_cifar10.py',
    '../datasets/cifar10_bs128.py',
    '../schedules/alfs_cifar10_120e.py',
    '../default_runtime.py'
]
