# GLS protocol, stage 2: GLS from the CE warm-up checkpoint, 100 epochs at a
# constant lr of 1e-6, SGD momentum 0.9, nesterov, wd 1e-4, wa = 0, wb = 1
# (UCSC-REAL/negative-label-smoothing main_GLS_load.py). Negative LS by default
# (r = -0.4); positive LS or CE:   --cfg-options
# model.head.loss.smooth_rate=0.4   (or 0.0) Run stage 1 first:   python
# tools/train.py configs/gls/ce-warmup_resnet34_1xb128-120e_cifar10-sym40.py
_base_ = [
    '../_base_/models/resnet34_cifar_torch_init.py',
    '../_base_/datasets/cifar10_bs128.py',
    '../_base_/default_runtime.py'
]
model = dict(
    head=dict(
        loss=dict(_delete_=True, type='GLSLoss', smooth_rate=-0.4, wa=0.0,
                  wb=1.0)))
# The warm-up's work dir: its last checkpoint (a file path works too).
load_from = 'work_dirs/ce-warmup_resnet34_1xb128-120e_cifar10-sym40'
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=1e-6, momentum=0.9, weight_decay=1e-4,
                   nesterov=True))
param_scheduler = []  # constant lr
train_cfg = dict(by_epoch=True, max_epochs=100, val_interval=1)
val_cfg = dict()
test_cfg = dict()
auto_scale_lr = dict(base_batch_size=128)
# GLS's CIFAR-10 code draws the symmetric noise per sample.
train_dataloader = dict(dataset=dict(noise=dict(exact=False)))
