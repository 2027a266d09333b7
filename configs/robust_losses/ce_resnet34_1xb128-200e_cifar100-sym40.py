# CE on CIFAR-100, CIFAR ResNet-34, ALFs protocol (200 epochs).
# Hyper-parameters: LossPreset 'alfs_code' for 'cifar100'.
# Asymmetric noise as ALFs / APL draw it (per sample):
#   --noise asym40_cifar100 --cfg-options model.head.loss.noise=asym
_base_ = ['../_base_/protocols/alfs_cifar100.py']
model = dict(head=dict(loss=dict(
    _delete_=True, type='LossPreset', loss='CE', dataset='cifar100',
    source='alfs_code')))
