# SLN-MO-LC: SLN-MO with label correction from epoch 33, sigma=1.0;
# the SLN-MO config of this setting plus one component.
_base_ = ['./sln-mo_smallcnn_1xb64-40e_digits-sym40.py']
# The corrected targets live in the model's SampleStore.
model = dict(type='SampleStoreClassifier')
custom_hooks = _base_.custom_hooks + [
    dict(type='SLNLabelCorrectionHook', correction_epoch=33,
         mode='hard'),
]
