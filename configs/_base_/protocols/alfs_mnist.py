# Robust-loss protocol on MNIST, 4-layer CNN, ALFs/APL protocol: 50 epochs.
# 40 % symmetric noise; the leaf config sets the loss.
_base_ = [
    '../models/cnn4_mnist.py',
    '../datasets/mnist_bs128.py',
    '../schedules/alfs_mnist_50e.py',
    '../default_runtime.py'
]
