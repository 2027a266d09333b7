# NCE+RCE on CIFAR-100 as APL's configs/cifar100/sym/nce+rce.yaml runs it:
# CIFAR ResNet-50, 200 epochs, alpha 10, beta 0.1.
# Hyper-parameters: LossPreset 'apl_code' for 'cifar100'.
# Other APL losses on this protocol: model.head.loss.loss=NFL+RCE (etc.).
# Asymmetric noise as APL draws it (per sample):
#   --noise asym40_cifar100 --cfg-options model.head.loss.noise=asym
_base_ = ['../_base_/protocols/apl_cifar100.py']
model = dict(head=dict(loss=dict(
    _delete_=True, type='LossPreset', loss='NCE+RCE', dataset='cifar100',
    source='apl_code')))
