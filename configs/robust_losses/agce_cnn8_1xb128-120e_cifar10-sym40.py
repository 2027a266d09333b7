# AGCE on CIFAR-10, 8-layer CNN, ALFs protocol (120 epochs).
# Hyper-parameters: LossPreset 'alfs_code' for 'cifar10'.
# Asymmetric noise as ALFs / APL draw it (0.184 realised):
#   --noise asym40_cifar10_reselect --cfg-options model.head.loss.noise=asym
_base_ = ['../_base_/protocols/alfs_cifar10.py']
model = dict(head=dict(loss=dict(
    _delete_=True, type='LossPreset', loss='AGCE', dataset='cifar10',
    source='alfs_code')))
