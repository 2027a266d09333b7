# Dynamic Loss (jiangwenj02/dynamic_loss), CIFAR-10, imbalance 0.1 then 40 %
# prior-resampled noise: label corrector (R = 100, hidden 64) and margin
# generator on Adam 3e-3 (weight decay 0, fixed lr), 5 CE warm-up epochs,
# a per-epoch meta set from the noisy data, a fine-tune pass after each
# epoch.
_base_ = ['../_base_/protocols/noisy_longtail_cifar10.py']
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
    val_interval=1)
custom_hooks = _base_.custom_hooks + [dict(type='MetaDiagnosticsHook')]
