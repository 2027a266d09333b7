# NRCE on CIFAR-100, CIFAR ResNet-34, ALFs protocol (200 epochs).
# No official preset: the class defaults (scale 1, normalised by theory).
# Other noise: --cfg-options train_dataloader.dataset.noise.type=asymmetric
#   train_dataloader.dataset.noise.class_map=cifar100_block5
_base_ = ['../_base_/protocols/alfs_cifar100.py']
model = dict(head=dict(loss=dict(
    _delete_=True, type='NRCELoss')))
