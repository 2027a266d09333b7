# NRCE on MNIST, 4-layer CNN, ALFs protocol (50 epochs).
# No official preset: the class defaults (scale 1, normalised by theory).
# Other noise: --cfg-options train_dataloader.dataset.noise.type=asymmetric
#   train_dataloader.dataset.noise.class_map=mnist
_base_ = ['../_base_/protocols/alfs_mnist.py']
model = dict(head=dict(loss=dict(
    _delete_=True, type='NRCELoss')))
