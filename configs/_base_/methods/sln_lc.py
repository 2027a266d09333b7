# SLN-MO-LC's label correction from epoch 250 (of 300), hard targets: the
# corrected targets live in the model's SampleStore (SampleStoreClassifier).
# A helper, composed by the leaf after the SLN-MO hooks:
#   custom_hooks = _base_.custom_hooks + _base_._sln_mo_hooks + [
#       _base_._sln_lc_hook]
_sln_lc_hook = dict(
    type='SLNLabelCorrectionHook', correction_epoch=250, mode='hard')
