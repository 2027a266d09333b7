# SOP on CIFAR-10, 50 % symmetric noise. shengliu66/SOP has no CIFAR-10
# config or command (its README runs config_cifar100.json only and refers
# to the paper's Table A.1): this leaf is config_cifar100.json and the
# README's symmetric command (lr_u 1, lr_v 10) on the code's CIFAR-10
# loader, i.e. the settings of the CIFAR-100 leaf (PreActResNet18, batch
# 128, SGD 0.02 / 0.9 / 1e-3, cosine T_max 300 to 0.0002, 300 epochs, u, v
# by SGD without momentum or decay, init Normal(0, 1e-8), num_examp 50,000)
# with data_loaders.py CIFAR10DataLoader: crop 32 / pad 4 + flip,
# Normalize((0.4914, 0.4822, 0.4465), (0.2023, 0.1994, 0.2010)) (the
# base's). Set the paper's CIFAR-10 lr_u / lr_v with --cfg-options
# optim_wrapper.sop.lr_u=... optim_wrapper.sop.lr_v=... Noise as
# data_loader/cifar10.py symmetric_noise(): int(r N) labels redrawn from all
# 10 classes (symmetric_inclusive, exact=True; realised 0.9 r).
_base_ = [
    '../_base_/datasets/cifar10_bs128.py', '../_base_/default_runtime.py',
    '../_base_/methods/sop_preactresnet18_300e.py'
]
train_dataloader = dict(
    dataset=dict(
        noise=dict(
            _delete_=True, type='symmetric_inclusive', rate=0.5,
            exact=True)))
custom_hooks = _base_.custom_hooks + [dict(type='SampleStoreHook')]
# SOP+'s second view (CIFAR10DataLoader's transform_train_aug when
# ratio_consistency > 0): as the CIFAR-100 leaf's, the patch of Cutout 16
# at the normalisation mean.
_sop_plus_view2 = [
    dict(type='CIFAR10AutoAugment'),
    dict(type='RandomCrop', crop_size=32, padding=4),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(
        type='Cutout',
        shape=16,
        prob=1.0,
        pad_val=[round(m) for m in _base_.data_preprocessor['mean']]),
]
# SOP+'s training pipeline (the sop-plus leaves): the second view, then
# the first (crop 32 / pad 4, flip), both packed.
_sop_plus_pipeline = [
    dict(type='ExtraAugmentedView', transforms=_sop_plus_view2),
    dict(type='RandomCrop', crop_size=32, padding=4),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackNoisyInputs', algorithm_keys=['view2']),
]
