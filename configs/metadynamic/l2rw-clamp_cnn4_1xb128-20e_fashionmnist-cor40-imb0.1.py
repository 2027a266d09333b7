# L2RW baseline on the same noisy, imbalanced Fashion-MNIST, with the 1,000
# clean balanced images set aside before imbalance and noise as its meta set
# (Dynamic Loss uses no clean data).
_base_ = ['../_base_/protocols/noisy_longtail_fashionmnist.py']
model = dict(type='L2RWClassifier', weighting='clamp')
train_cfg = dict(
    _delete_=True,
    type='MetaEpochBasedTrainLoop',
    max_epochs=20,
    val_interval=1,
    meta_dataloader=_base_.meta_dataloader)
custom_hooks = _base_.custom_hooks + [dict(type='MetaDiagnosticsHook')]
