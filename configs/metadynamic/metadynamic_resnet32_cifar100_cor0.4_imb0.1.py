# Dynamic Loss, CIFAR-100, imbalance 0.1 then 40 % prior-resampled noise.
_base_ = ['../_base_/protocols/noisy_longtail_cifar100.py']
model = dict(
    type='DynamicLossClassifier',
    meta_net=dict(type='DynamicLossMetaNet', rank_num=100, hidden=64))
optim_wrapper = dict(
    _delete_=True,
    constructor='MetaOptimWrapperConstructor',
    model=_base_.optim_wrapper,
    meta=dict(optimizer=dict(type='Adam', lr=3e-3, weight_decay=0.)))
param_scheduler = dict(_delete_=True, model=_base_.param_scheduler, meta=[])
train_cfg = dict(
    _delete_=True,
    type='DynamicLossTrainLoop',
    max_epochs=325,
    warmup_epochs=5,
    val_interval=5)
custom_hooks = _base_.custom_hooks + [dict(type='MetaDiagnosticsHook')]
