# SLN-MO: SLN with the momentum (EMA) model, sigma=1.0;
# the SLN config of this setting plus one component.
_base_ = ['./sln_smallcnn_1xb64-40e_digits-sym40.py']
custom_hooks = _base_.custom_hooks + [
    dict(type='MomentumModelHook', decay=0.99),
    # The raw (non-EMA) model's clean-test summary.
    dict(type='AccuracySummaryHook', metric='raw/accuracy/top1',
         filename='summary_raw.json'),
]
