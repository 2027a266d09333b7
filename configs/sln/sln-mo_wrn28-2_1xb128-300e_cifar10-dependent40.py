# SLN-MO: SLN with the momentum (EMA) model, sigma=0.5;
# the SLN config of this setting plus one component.
_base_ = ['./sln_wrn28-2_1xb128-300e_cifar10-dependent40.py']
custom_hooks = _base_.custom_hooks + [
    dict(type='MomentumModelHook', decay=0.999),
    # The raw (non-EMA) model's clean-test summary.
    dict(type='AccuracySummaryHook', metric='raw/accuracy/top1',
         filename='summary_raw.json'),
]
