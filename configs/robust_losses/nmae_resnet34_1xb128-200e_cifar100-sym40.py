# NMAE on CIFAR-100, CIFAR ResNet-34, ALFs protocol (200 epochs).
# No official preset: the class defaults (scale 1, normalised by theory); 40 % symmetric noise.
# Other noise: --cfg-options train_dataloader.dataset.noise.type=asymmetric
#   train_dataloader.dataset.noise.class_map=cifar100_block5
_base_ = [
    '../_base_/models/resnet34_cifar_alfs.py',
    '../_base_/datasets/cifar100_rot20_bs128.py',
    '../_base_/schedules/alfs_cifar100_200e.py',
    '../_base_/default_runtime.py'
]
model = dict(
    head=dict(
        loss=dict(
            _delete_=True,
            type='NMAELoss')))
