# SLN-MO: SLN with the momentum (EMA) model (decay 0.99 for this short
# schedule), sigma=1.0; the CE config of this setting plus the method.
_base_ = ['./ce_smallcnn_1xb64-40e_digits-sym40.py']
model = dict(head=dict(loss=dict(type='SLNLoss', sigma=1.0)))
custom_hooks = _base_.custom_hooks + [
    dict(type='MomentumModelHook', decay=0.99),
    # The raw (non-EMA) model's clean-test summary.
    dict(
        type='AccuracySummaryHook',
        metric='raw/accuracy/top1',
        filename='summary_raw.json'),
]
