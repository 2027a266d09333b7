# SLN-MO's hooks (Chen et al., ICLR 2021): the momentum (EMA) model, which
# is the one evaluated, and the clean-test summary of the raw model. MMEngine
# does not merge two bases that set the same key, so this fragment sets only
# a helper (the leading underscore: no component reads it), and a leaf on the
# CE config of its setting composes it:
#   _base_ = ['./ce_<setting>.py', '../_base_/methods/sln_mo.py']
#   custom_hooks = _base_.custom_hooks + _base_._sln_mo_hooks
_sln_mo_hooks = [
    dict(type='MomentumModelHook', decay=0.999),
    # The raw (non-EMA) model's clean-test summary.
    dict(
        type='AccuracySummaryHook',
        metric='raw/accuracy/top1',
        filename='summary_raw.json'),
]
