# Robust-loss protocol on scikit-learn digits (embedded), 4-layer CNN on 8x8,
# 30 epochs.
# 40 % symmetric noise; the leaf config sets the loss.
_base_ = [
    '../models/cnn4_mnist.py',
    '../datasets/digits_bs64.py',
    '../schedules/alfs_mnist_50e.py',
    '../default_runtime.py'
]
model = dict(backbone=dict(input_size=8))
optim_wrapper = dict(optimizer=dict(lr=0.05))
param_scheduler = dict(T_max=30)
train_cfg = dict(max_epochs=30)
auto_scale_lr = dict(base_batch_size=64)
default_hooks = dict(logger=dict(interval=10))
