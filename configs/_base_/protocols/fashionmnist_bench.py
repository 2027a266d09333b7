# The project's Fashion-MNIST benchmark protocol (Debian's
# dataset-fashion-mnist): the 4-layer CNN of the ALFs MNIST protocol, the
# first 20,000 training images, batch 128, no augmentation, SGD lr 0.01
# momentum 0.9 wd 1e-3, cosine to 0 over 30 epochs, gradient-norm clip 5,
# the full 10,000-image clean test set. Long enough that CE memorises the
# noisy labels (at 80 % symmetric noise it falls back to about 21 %).
_base_ = [
    '../models/cnn4_mnist.py', '../datasets/fashion_mnist_bs128.py',
    '../schedules/alfs_mnist_50e.py', '../default_runtime.py'
]
train_dataloader = dict(
    num_workers=0,
    persistent_workers=False,
    dataset=dict(
        dataset=dict(indices=20000, pipeline=[dict(type='PackNoisyInputs')]),
        noise=dict(type='symmetric', rate=0.8)))
val_dataloader = dict(num_workers=0, persistent_workers=False)
test_dataloader = val_dataloader
param_scheduler = dict(T_max=30)
train_cfg = dict(max_epochs=30)
