# SLN-MO-LC: SLN with the momentum (EMA) model (decay 0.99 for this short
# schedule) and label correction from epoch 33 (of 40), sigma=1.0; the CE
# config of this setting plus the method.
_base_ = ['./ce_smallcnn_1xb64-40e_digits-sym40.py']
# The corrected targets live in the model's SampleStore.
model = dict(
    type='SampleStoreClassifier',
    head=dict(loss=dict(type='SLNLoss', sigma=1.0)))
custom_hooks = _base_.custom_hooks + [
    dict(type='MomentumModelHook', decay=0.99),
    dict(
        type='AccuracySummaryHook',
        metric='raw/accuracy/top1',
        filename='summary_raw.json'),
    dict(type='SLNLabelCorrectionHook', correction_epoch=33, mode='hard'),
]
