# NCE on scikit-learn digits (embedded), 4-layer CNN on 8x8, MNIST presets,
# 30 epochs.
# Hyper-parameters: LossPreset 'alfs_code' for 'mnist'.
# Other noise: --cfg-options train_dataloader.dataset.noise.type=asymmetric
#   train_dataloader.dataset.noise.class_map=mnist model.head.loss.noise=asym
_base_ = ['../_base_/protocols/alfs_digits.py']
model = dict(head=dict(loss=dict(
    _delete_=True, type='LossPreset', loss='NCE', dataset='mnist',
    source='alfs_code')))
