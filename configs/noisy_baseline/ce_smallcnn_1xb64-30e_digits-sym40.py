# CE on scikit-learn digits with 40 % symmetric noise (the SmallCNN
# reference run of the tests and tools).
# Other noise: --cfg-options train_dataloader.dataset.noise.type=...
_base_ = [
    '../_base_/models/small_cnn.py', '../_base_/datasets/digits_bs64.py',
    '../_base_/schedules/sgd_cosine.py', '../_base_/default_runtime.py'
]
optim_wrapper = dict(optimizer=dict(lr=0.05, weight_decay=5e-4))
param_scheduler = dict(T_max=30)
train_cfg = dict(max_epochs=30)
auto_scale_lr = dict(base_batch_size=64)
default_hooks = dict(logger=dict(interval=10))
