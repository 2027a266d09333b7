# SLN-MO: SLN with the momentum (EMA) model, sigma=1.0;
# 40 % symmetric noise (embedded data, runs anywhere).
_base_ = ['../_base_/protocols/sln_digits.py']
model = dict(head=dict(loss=dict(type='SLNLoss', sigma=1.0)))
custom_hooks = _base_.custom_hooks + [
    dict(type='MomentumModelHook', decay=0.99),
    # The raw (non-EMA) model's clean-test summary.
    dict(type='AccuracySummaryHook', metric='raw/accuracy/top1',
         filename='summary_raw.json'),
]
