# SLN on Fashion-MNIST (Debian package) under a CPU budget: the 4-layer CNN,
# batch 128, SGD momentum 0.9 with a constant lr of 0.01 (SLN trains at a
# constant lr), 20 epochs; label correction from epoch 16 (the official
# 250 / 300 ratio).
_base_ = [
    '../models/cnn4_mnist.py', '../datasets/fashion_mnist_bs128.py',
    '../schedules/sln_sgd_300e.py', '../default_runtime.py'
]
optim_wrapper = dict(optimizer=dict(lr=0.01))
train_cfg = dict(max_epochs=20)
