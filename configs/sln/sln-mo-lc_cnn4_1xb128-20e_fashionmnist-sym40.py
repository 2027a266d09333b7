# SLN-MO-LC: SLN with the momentum (EMA) model and label correction from
# epoch 16 (of 20), sigma=1.0; the CE config of this setting plus the method.
_base_ = [
    './ce_cnn4_1xb128-20e_fashionmnist-sym40.py',
    '../_base_/methods/sln_mo.py'
]
# The corrected targets live in the model's SampleStore.
model = dict(
    type='SampleStoreClassifier',
    head=dict(loss=dict(type='SLNLoss', sigma=1.0)))
custom_hooks = _base_.custom_hooks + _base_._sln_mo_hooks + [
    dict(type='SLNLabelCorrectionHook', correction_epoch=16, mode='hard')
]
