# NGCE+RCE on CIFAR-10, 8-layer CNN, ALFs protocol (120 epochs).
# Hyper-parameters: LossPreset 'apl_code' for 'cifar10'.
# Other noise: --cfg-options train_dataloader.dataset.noise.type=asymmetric
#   train_dataloader.dataset.noise.class_map=cifar10 model.head.loss.noise=asym
_base_ = ['../_base_/protocols/alfs_cifar10.py']
model = dict(head=dict(loss=dict(
    _delete_=True, type='LossPreset', loss='NGCE+RCE', dataset='cifar10',
    source='apl_code')))
