# NCE+MAE on Fashion-MNIST (Debian package), 4-layer CNN, MNIST presets, 20
# epochs (CPU budget).
# Hyper-parameters: LossPreset 'alfs_code' for 'mnist'.
# Other noise: --cfg-options train_dataloader.dataset.noise.type=asymmetric
#   train_dataloader.dataset.noise.class_map=mnist model.head.loss.noise=asym
_base_ = ['../_base_/protocols/alfs_fashionmnist.py']
model = dict(head=dict(loss=dict(
    _delete_=True, type='LossPreset', loss='NCE+MAE', dataset='mnist',
    source='alfs_code')))
