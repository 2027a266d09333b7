# L2RW baseline on the same noisy, imbalanced digits, with the 100 clean
# balanced images set aside before imbalance and noise as its meta set
# (Dynamic Loss uses no clean data).
_base_ = ['../_base_/protocols/noisy_longtail_digits.py']
model = dict(type='L2RWClassifier', weighting='clamp')
train_cfg = dict(
    _delete_=True,
    type='MetaEpochBasedTrainLoop',
    max_epochs=30,
    val_interval=1,
    meta_dataloader=_base_.meta_dataloader)
custom_hooks = _base_.custom_hooks + [dict(type='MetaDiagnosticsHook')]
