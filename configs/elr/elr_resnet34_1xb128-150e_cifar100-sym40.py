# ELR, the official CIFAR-100 setting: shengliu66/ELR ELR/config_cifar100.json
# (its default percent 0.6; 40 % here, other rates with --cfg-options
# train_dataloader.dataset.noise.rate=...). arch resnet34 (num_classes 100);
# batch 128; SGD lr 0.02, momentum 0.9, weight_decay 1e-3; train_loss beta
# 0.9, lambda 7; lr_scheduler MultiStepLR milestones [80, 120], gamma 0.01;
# trainer.epochs 150; data_loader/data_loaders.py CIFAR100DataLoader: crop
# 32 / pad 4 + flip, Normalize((0.5071, 0.4867, 0.4408), (0.2675, 0.2565,
# 0.2761)) (not the base's more precise statistics). data_loader/cifar100.py
# as the CIFAR-10 one: 45,000 training images (90 % of every class), then
# int(r N) labels redrawn from all 100 classes (symmetric_inclusive).
_base_ = [
    '../_base_/models/resnet34_cifar_torch_init.py',
    '../_base_/datasets/cifar100_bs128.py',
    '../_base_/default_runtime.py'
]
model = dict(
    type='ELRClassifier',
    beta=0.9,
    lambda_elr=7.0,
    head=dict(num_classes=100))
data_preprocessor = dict(
    mean=[0.5071 * 255, 0.4867 * 255, 0.4408 * 255],
    std=[0.2675 * 255, 0.2565 * 255, 0.2761 * 255])
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
    type='MultiStepLR', by_epoch=True, milestones=[80, 120], gamma=0.01)
train_cfg = dict(by_epoch=True, max_epochs=150, val_interval=1)
val_cfg = dict()
test_cfg = dict()
auto_scale_lr = dict(base_batch_size=128)
custom_hooks = _base_.custom_hooks + [dict(type='SampleStoreHook')]
