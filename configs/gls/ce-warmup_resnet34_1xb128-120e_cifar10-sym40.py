# GLS protocol, stage 1: CE warm-up on CIFAR-10 with 40 % symmetric noise.
# ResNet-34, plain SGD (no momentum, no weight decay), lr 0.1 x0.1 at epochs
# 40 and 80, 120 epochs (UCSC-REAL/negative-label-smoothing main_warmup.py).
# Stage 2 (gls_resnet34_1xb128-100e_cifar10-sym40.py) loads the LAST
# checkpoint of this run; the official code keeps the best-test-accuracy
# checkpoint, which selects on test labels, so we do not.
_base_ = [
    '../_base_/models/resnet34_cifar_torch_init.py',
    '../_base_/datasets/cifar10_bs128.py',
    '../_base_/default_runtime.py'
]
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.1, momentum=0.0, weight_decay=0.0))
param_scheduler = dict(type='MultiStepLR', by_epoch=True,
                       milestones=[40, 80], gamma=0.1)
train_cfg = dict(by_epoch=True, max_epochs=120, val_interval=1)
val_cfg = dict()
test_cfg = dict()
auto_scale_lr = dict(base_batch_size=128)
# GLS's CIFAR-10 code draws the symmetric noise per sample.
train_dataloader = dict(dataset=dict(noise=dict(exact=False)))
