# SLN-MO-LC's hooks: SLN-MO's, then label correction from epoch 250 (of 300)
# with hard targets, which live in the model's SampleStore (the leaf sets
# model.type='SampleStoreClassifier'). A helper the leaf composes:
#   custom_hooks = _base_.custom_hooks + _base_._sln_mo_lc_hooks
_base_ = ['./sln_mo.py']
_sln_mo_lc_hooks = _base_._sln_mo_hooks + [
    dict(type='SLNLabelCorrectionHook', correction_epoch=250, mode='hard')
]
