# NMAE on CIFAR-10, 8-layer CNN, ALFs protocol (120 epochs).
# No official preset: the class defaults (scale 1, normalised by theory); 40 % symmetric noise.
# Other noise: --cfg-options train_dataloader.dataset.noise.type=asymmetric
#   train_dataloader.dataset.noise.class_map=cifar10
_base_ = [
    '../_base_/models/cnn8_cifar10.py',
    '../_base_/datasets/cifar10_bs128.py',
    '../_base_/schedules/alfs_cifar10_120e.py',
    '../_base_/default_runtime.py'
]
model = dict(
    head=dict(
        loss=dict(
            _delete_=True,
            type='NMAELoss')))
