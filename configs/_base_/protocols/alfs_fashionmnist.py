# Robust-loss protocol on Fashion-MNIST (Debian package), 4-layer CNN, MNIST
# schedule cut to 20 epochs (CPU budget).
# 40 % symmetric noise; the leaf config sets the loss.
_base_ = [
    '../models/cnn4_mnist.py',
    '../datasets/fashion_mnist_bs128.py',
    '../schedules/alfs_mnist_50e.py',
    '../default_runtime.py'
]
param_scheduler = dict(T_max=20)
train_cfg = dict(max_epochs=20)
