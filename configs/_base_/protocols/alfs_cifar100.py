# Robust-loss protocol on CIFAR-100, CIFAR ResNet-34, ALFs protocol: 200
# epochs.
# 40 % symmetric noise; the leaf config sets the loss.
_base_ = [
    '../models/resnet34_cifar_alfs.py',
    '../datasets/cifar100_rot20_bs128.py',
    '../schedules/alfs_cifar100_200e.py',
    '../default_runtime.py'
]
