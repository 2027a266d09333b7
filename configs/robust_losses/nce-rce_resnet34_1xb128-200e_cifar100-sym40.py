# NCE+RCE on CIFAR-100, CIFAR ResNet-34, 200 epochs: the command of APL's
# README (alpha 10, beta 0.1, l2_reg 1e-5). Hyper-parameters: LossPreset
# 'apl_code' for 'cifar100'.
# Asymmetric noise as ALFs / APL draw it (per sample):
#   --noise asym40_cifar100 --cfg-options model.head.loss.noise=asym
_base_ = ['../_base_/protocols/alfs_cifar100.py']
model = dict(head=dict(loss=dict(
    _delete_=True, type='LossPreset', loss='NCE+RCE', dataset='cifar100',
    source='apl_code')))
