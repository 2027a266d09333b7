# ELR, the official CIFAR-10 symmetric setting: shengliu66/ELR
# ELR/config_cifar10.json (README: python train.py -c config_cifar10.json
# --percent 0.8). arch resnet34 (the CIFAR ResNet-34 of model/ResNet_Zoo.py,
# PyTorch's default init); data_loader batch_size 128, crop 32 / pad 4 +
# flip, Normalize((0.4914, 0.4822, 0.4465), (0.2023, 0.1994, 0.2010)) (the
# base's); optimizer SGD lr 0.02, momentum 0.9, weight_decay 1e-3;
# lr_scheduler CosineAnnealingWarmRestarts(T_0=10, eta_min=0.001), stepped
# per epoch; trainer.epochs 150; train_loss beta 0.7, lambda 3.
# data_loader/cifar10.py trains on 45,000 images: train_val_split keeps 90 %
# of every class (the rest is its noisy validation set), then the noise is
# drawn on them. Symmetric noise as its symmetric_noise(): int(r N) labels
# redrawn from all 10 classes, the true one included (symmetric_inclusive,
# exact=True; realised rate 0.9 r). This leaf: r = 0.4; other rates:
#   --cfg-options train_dataloader.dataset.noise.rate=0.8
_base_ = [
    '../_base_/models/resnet34_cifar_torch_init.py',
    '../_base_/datasets/cifar10_bs128.py',
    '../_base_/default_runtime.py'
]
model = dict(type='ELRClassifier', beta=0.7, lambda_elr=3.0)
train_dataloader = dict(
    dataset=dict(
        dataset=dict(
            _delete_=True,
            type='HoldoutSplitDataset',
            split='train',
            ratio=0.1,
            seed=0,
            dataset=_base_.train_dataloader.dataset.dataset),
        noise=dict(
            _delete_=True, type='symmetric_inclusive', rate=0.4,
            exact=True)))
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.02, momentum=0.9, weight_decay=1e-3))
param_scheduler = dict(
    type='CosineRestartLR',
    by_epoch=True,
    periods=[10] * 15,
    restart_weights=[1] * 15,
    eta_min=0.001)
train_cfg = dict(by_epoch=True, max_epochs=150, val_interval=1)
val_cfg = dict()
test_cfg = dict()
auto_scale_lr = dict(base_batch_size=128)
custom_hooks = _base_.custom_hooks + [dict(type='SampleStoreHook')]
