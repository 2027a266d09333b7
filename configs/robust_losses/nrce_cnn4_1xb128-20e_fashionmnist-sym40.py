# NRCE on Fashion-MNIST (Debian package), 4-layer CNN, MNIST presets, 20
# epochs (CPU budget).
# No official preset: the class defaults (scale 1, normalised by theory).
# Other noise: --cfg-options train_dataloader.dataset.noise.type=asymmetric
#   train_dataloader.dataset.noise.class_map=mnist
_base_ = ['../_base_/protocols/alfs_fashionmnist.py']
model = dict(head=dict(loss=dict(
    _delete_=True, type='NRCELoss')))
