# NCE+MAE on CIFAR-100, CIFAR ResNet-34, ALFs protocol (200 epochs).
# Hyper-parameters: LossPreset 'alfs_code' for 'cifar100'.
# Other noise: --cfg-options train_dataloader.dataset.noise.type=asymmetric
#   train_dataloader.dataset.noise.class_map=cifar100_block5
# model.head.loss.noise=asym
_base_ = ['../_base_/protocols/alfs_cifar100.py']
model = dict(head=dict(loss=dict(
    _delete_=True, type='LossPreset', loss='NCE+MAE', dataset='cifar100',
    source='alfs_code')))
