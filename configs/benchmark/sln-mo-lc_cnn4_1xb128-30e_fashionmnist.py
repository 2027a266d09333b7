# SLN-MO-LC: SLN-MO with label correction by the momentum model from epoch
# 25 of 30 (the official 250 / 300 ratio); the corrected targets live in the
# model's SampleStore.
_base_ = ['./sln-mo_cnn4_1xb128-30e_fashionmnist.py']
model = dict(type='SampleStoreClassifier')
custom_hooks = _base_.custom_hooks + [
    dict(type='SLNLabelCorrectionHook', correction_epoch=25, mode='hard')
]
