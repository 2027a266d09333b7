# SLN-MO-LC: SLN-MO with label correction from epoch 250, sigma=0.5;
# the real noise of Animal-10N (about 8 %).
_base_ = ['../_base_/protocols/sln_animal10n.py']
model = dict(head=dict(loss=dict(type='SLNLoss', sigma=0.5)))
custom_hooks = _base_.custom_hooks + [
    dict(type='MomentumModelHook', decay=0.999),
    # The raw (non-EMA) model's clean-test summary.
    dict(type='AccuracySummaryHook', metric='raw/accuracy/top1',
         filename='summary_raw.json'),
    dict(
        type='SLNLabelCorrectionHook', correction_epoch=250, mode='hard'),
]
