# SLN on scikit-learn digits (embedded): SmallCNN, batch 64, SGD momentum 0.9
# with a constant lr of 0.02, 40 epochs (1,347 images: 22 steps per epoch,
# so the momentum model uses decay 0.99); label correction from epoch 33.
_base_ = [
    '../models/small_cnn.py', '../datasets/digits_bs64.py',
    '../schedules/sln_sgd_300e.py', '../default_runtime.py'
]
optim_wrapper = dict(optimizer=dict(lr=0.02))
train_cfg = dict(max_epochs=40)
auto_scale_lr = dict(base_batch_size=64)
default_hooks = dict(logger=dict(interval=10))
