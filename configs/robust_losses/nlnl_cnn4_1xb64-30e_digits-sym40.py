# NLNL (negative learning) on scikit-learn digits (embedded), 4-layer CNN on
# 8x8, MNIST presets, 30 epochs.
# Hyper-parameters: LossPreset 'alfs_code' for 'mnist' (one complementary
# label per sample, inverse-frequency class weights from the noisy labels,
# which TrainLabelCountsHook passes to the loss).
_base_ = ['../_base_/protocols/alfs_digits.py']
model = dict(head=dict(loss=dict(
    _delete_=True, type='LossPreset', loss='NLNL', dataset='mnist',
    source='alfs_code')))
custom_hooks = _base_.custom_hooks + [dict(type='TrainLabelCountsHook')]
