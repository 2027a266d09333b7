# CE on Fashion-MNIST (Debian's dataset-fashion-mnist) with 40 % symmetric
# noise; the real-data CPU benchmark.
_base_ = [
    '../_base_/models/small_cnn.py',
    '../_base_/datasets/fashion_mnist_bs128.py',
    '../_base_/schedules/sgd_cosine.py', '../_base_/default_runtime.py'
]
optim_wrapper = dict(optimizer=dict(lr=0.05))
param_scheduler = dict(T_max=20)
train_cfg = dict(max_epochs=20)
