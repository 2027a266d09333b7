# NRCE on CIFAR-10, 8-layer CNN, ALFs protocol (120 epochs).
# No official preset: the class defaults (scale 1, normalised by theory).
# Other noise: --cfg-options train_dataloader.dataset.noise.type=asymmetric
#   train_dataloader.dataset.noise.class_map=cifar10
_base_ = ['../_base_/protocols/alfs_cifar10.py']
model = dict(head=dict(loss=dict(
    _delete_=True, type='NRCELoss')))
