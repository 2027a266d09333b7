# NRCE on scikit-learn digits (embedded), 4-layer CNN on 8x8, MNIST presets, 30 epochs.
# No official preset: the class defaults (scale 1, normalised by theory); 40 % symmetric noise.
# Other noise: --cfg-options train_dataloader.dataset.noise.type=asymmetric
#   train_dataloader.dataset.noise.class_map=mnist
_base_ = [
    '../_base_/models/cnn4_mnist.py',
    '../_base_/datasets/digits_bs64.py',
    '../_base_/schedules/alfs_mnist_50e.py',
    '../_base_/default_runtime.py'
]
model = dict(
    backbone=dict(input_size=8),
    head=dict(
        loss=dict(
            _delete_=True,
            type='NRCELoss')))
optim_wrapper = dict(optimizer=dict(lr=0.05))
param_scheduler = dict(T_max=30)
train_cfg = dict(max_epochs=30)
auto_scale_lr = dict(base_batch_size=64)
default_hooks = dict(logger=dict(interval=10))
