# SLN-MO-LC: SLN-MO with label correction from epoch 16, sigma=1.0;
# the SLN-MO config of this setting plus one component.
_base_ = ['./sln-mo_cnn4_1xb128-20e_fashionmnist-sym40.py']
# The corrected targets live in the model's SampleStore.
model = dict(type='SampleStoreClassifier')
custom_hooks = _base_.custom_hooks + [
    dict(type='SLNLabelCorrectionHook', correction_epoch=16,
         mode='hard'),
]
