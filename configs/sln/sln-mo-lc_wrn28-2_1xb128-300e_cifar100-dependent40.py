# SLN-MO-LC: SLN-MO with label correction from epoch 250, sigma=0.1;
# the SLN-MO config of this setting plus one component.
_base_ = ['./sln-mo_wrn28-2_1xb128-300e_cifar100-dependent40.py']
# The corrected targets live in the model's SampleStore.
model = dict(type='SampleStoreClassifier')
custom_hooks = _base_.custom_hooks + [
    dict(type='SLNLabelCorrectionHook', correction_epoch=250,
         mode='hard'),
]
