# Runnable GLS protocol on embedded digits, stage 2: GLS from the warm-up's
# last checkpoint, 20 epochs at a constant lr, SGD m 0.9 nesterov wd 1e-4.
# Deviation from the CIFAR protocol, on purpose: lr 1e-3 instead of 1e-6
# (20 epochs of 28 iterations at 1e-6 would not move the weights).
# r = -0.4 by default; --cfg-options model.head.loss.smooth_rate=...
_base_ = [
    '../_base_/models/cnn4_mnist.py', '../_base_/datasets/digits_bs64.py',
    '../_base_/default_runtime.py'
]
model = dict(
    backbone=dict(input_size=8),
    head=dict(
        loss=dict(_delete_=True, type='GLSLoss', smooth_rate=-0.4, wa=0.0,
                  wb=1.0)))
# The warm-up's work dir: its last checkpoint (a file path works too).
load_from = 'work_dirs/ce-warmup_cnn4_1xb64-20e_digits-sym40'
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=1e-3, momentum=0.9, weight_decay=1e-4,
                   nesterov=True))
param_scheduler = []  # constant lr
train_cfg = dict(by_epoch=True, max_epochs=20, val_interval=1)
val_cfg = dict()
test_cfg = dict()
auto_scale_lr = dict(base_batch_size=64)
default_hooks = dict(logger=dict(interval=10))
