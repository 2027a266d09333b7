# SLN-MO-LC: SLN with the momentum (EMA) model and label correction from
# epoch 250, sigma=0.5; the CE config of this setting plus the method.
# The corrected targets live in the model's SampleStore.
_base_ = ['./ce_wrn28-2_1xb128-300e_cifar10-openset40.py',
          '../_base_/methods/sln_mo_lc.py']
model = dict(type='SampleStoreClassifier',
             head=dict(loss=dict(type='SLNLoss', sigma=0.5)))
custom_hooks = _base_.custom_hooks + _base_._sln_mo_lc_hooks
