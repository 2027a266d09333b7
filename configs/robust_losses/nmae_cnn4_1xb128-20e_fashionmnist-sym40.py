# NMAE on Fashion-MNIST (Debian package), 4-layer CNN, MNIST presets, 20 epochs (CPU budget).
# No official preset: the class defaults (scale 1, normalised by theory); 40 % symmetric noise.
# Other noise: --cfg-options train_dataloader.dataset.noise.type=asymmetric
#   train_dataloader.dataset.noise.class_map=mnist
_base_ = [
    '../_base_/models/cnn4_mnist.py',
    '../_base_/datasets/fashion_mnist_bs128.py',
    '../_base_/schedules/alfs_mnist_50e.py',
    '../_base_/default_runtime.py'
]
model = dict(
    head=dict(
        loss=dict(
            _delete_=True,
            type='NMAELoss')))
param_scheduler = dict(T_max=20)
train_cfg = dict(max_epochs=20)
