# SOP on CIFAR-100, 50 % symmetric noise: shengliu66/SOP README
# "python train.py -c config_cifar100.json --lr_u 1 --lr_v 10 --percent
# 0.5", without SOP+'s two terms (its --consist 0 --balance 0; config_
# cifar100.json itself is SOP+, see sop-plus_*). From config_cifar100.json:
# arch PreActResNet18 (model/PreResNet.py, PyTorch's default init); batch
# 128; optimizer SGD lr 0.02, momentum 0.9, weight_decay 1e-3;
# optimizer_overparametrization SGD momentum 0, weight_decay 0 with lr_u,
# lr_v (README values); reparam_arch init Normal(0, 1e-8); lr_scheduler
# CosineAnnealingLR(T_max=300, eta_min=0.0002), stepped per epoch, network
# only; trainer.epochs 300; num_examp = the 50,000 training images
# (data_loader/cifar100.py train_val_split keeps them all). data_loaders.py
# CIFAR100DataLoader: crop 32 / pad 4 + flip, Normalize((0.5071, 0.4867,
# 0.4408), (0.2675, 0.2565, 0.2761)). Symmetric noise as its
# symmetric_noise(): int(r N) labels redrawn from all 100 classes, the true
# one included (symmetric_inclusive, exact=True; realised 0.99 r). Other
# rates: --cfg-options train_dataloader.dataset.noise.rate=...
_base_ = [
    '../_base_/datasets/cifar100_bs128.py', '../_base_/default_runtime.py',
    '../_base_/methods/sop_preactresnet18_300e.py'
]
data_preprocessor = dict(
    mean=[0.5071 * 255, 0.4867 * 255, 0.4408 * 255],
    std=[0.2675 * 255, 0.2565 * 255, 0.2761 * 255])
model = dict(head=dict(num_classes=100))
train_dataloader = dict(
    dataset=dict(
        noise=dict(
            _delete_=True, type='symmetric_inclusive', rate=0.5,
            exact=True)))
custom_hooks = _base_.custom_hooks + [dict(type='SampleStoreHook')]
# SOP+'s second view (transform_train_aug of data_loaders.py: the
# autoaug_cifar10 policy, crop 32 / pad 4, flip, then Cutout 16 after the
# normalisation, i.e. a patch at the normalisation mean); the sop-plus
# leaves put it in the pipeline. The official policy is AutoAugment's
# CIFAR-10 policy (CIFAR10AutoAugment: the same 25 sub-policies).
_sop_plus_view2 = [
    dict(type='CIFAR10AutoAugment'),
    dict(type='RandomCrop', crop_size=32, padding=4),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(
        type='Cutout',
        shape=16,
        prob=1.0,
        pad_val=[round(m) for m in data_preprocessor['mean']]),
]
# SOP+'s training pipeline (the sop-plus leaves): the second view, then
# the first (crop 32 / pad 4, flip), both packed.
_sop_plus_pipeline = [
    dict(type='ExtraAugmentedView', transforms=_sop_plus_view2),
    dict(type='RandomCrop', crop_size=32, padding=4),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackNoisyInputs', algorithm_keys=['view2']),
]
