# SOP+ on CIFAR-10, the SOP asym40 leaf (no official CIFAR-10 command; the
# values of config_cifar100.json and the README) with config_cifar100.json's
# SOP+ terms, ratio_consistency 0.9, ratio_balance 0.1, and its second view
# (CIFAR10DataLoader's transform_train_aug, autoaug_cifar10 + cutout 16:
# the _sop_plus_pipeline of the SOP leaf), one batch with the first view.
_base_ = ['./sop_preactresnet18_1xb128-300e_cifar10-asym40.py']
model = dict(ratio_consistency=0.9, ratio_balance=0.1)
train_dataloader = dict(
    dataset=dict(dataset=dict(pipeline=_base_._sop_plus_pipeline)))
