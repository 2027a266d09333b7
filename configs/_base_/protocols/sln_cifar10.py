# SLN protocol on CIFAR-10 (official noise_cifar_train.py): WRN-28-2,
# batch 128, RandomCrop(32, 4) + flip, SGD lr 0.001 constant, 300 epochs,
# the official normalisation. The leaf sets the noise, loss and hooks.
_base_ = [
    '../models/wrn28_2_cifar.py', '../datasets/cifar10_bs128.py',
    '../schedules/sln_sgd_300e.py', '../default_runtime.py'
]
data_preprocessor = dict(
    num_classes=10,
    mean=[125.307, 122.950, 113.866],  # (0.4914, 0.4822, 0.4465) x 255
    std=[51.587, 50.847, 51.255],  # (0.2023, 0.1994, 0.2010) x 255
    to_rgb=False)
