# Runnable GLS protocol on embedded digits (40 % symmetric noise), stage 1:
# CE warm-up with plain SGD (no momentum, no weight decay), lr 0.1 x0.1 at
# epochs 10 and 15, 20 epochs. Stage 2: gls_cnn4_1xb64-20e_digits-sym40.py.
_base_ = [
    '../_base_/models/cnn4_mnist.py', '../_base_/datasets/digits_bs64.py',
    '../_base_/default_runtime.py'
]
model = dict(backbone=dict(input_size=8))
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.1, momentum=0.0, weight_decay=0.0))
param_scheduler = dict(type='MultiStepLR', by_epoch=True,
                       milestones=[10, 15], gamma=0.1)
train_cfg = dict(by_epoch=True, max_epochs=20, val_interval=1)
val_cfg = dict()
test_cfg = dict()
auto_scale_lr = dict(base_batch_size=64)
default_hooks = dict(logger=dict(interval=10))
