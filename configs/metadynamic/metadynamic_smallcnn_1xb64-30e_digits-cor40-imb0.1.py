# Dynamic Loss on digits: imbalance 0.1, then 40 % prior-resampled noise.
# R = 20 rank bins (classes of 13 to 133 images), 5 warm-up epochs, the
# meta-net on Adam 3e-3 at a fixed lr.
_base_ = ['../_base_/protocols/noisy_longtail_digits.py']
model = dict(
    type='DynamicLossClassifier',
    # No corrector warm-up: it drives the trust to sigmoid saturation (1.000
    # for every rank on digits with the official 2,000 steps), where the
    # meta gradient vanishes; see configs/metadynamic/README.md.
    lc_warmup_iters=0,
    meta_net=dict(type='DynamicLossMetaNet', rank_num=20, hidden=64))
optim_wrapper = dict(
    _delete_=True,
    constructor='MetaOptimWrapperConstructor',
    model=_base_.optim_wrapper,
    meta=dict(optimizer=dict(type='Adam', lr=3e-3, weight_decay=0.)))
param_scheduler = dict(_delete_=True, model=_base_.param_scheduler, meta=[])
train_cfg = dict(
    _delete_=True,
    type='DynamicLossTrainLoop',
    max_epochs=30,
    warmup_epochs=5,
    val_interval=1)
custom_hooks = _base_.custom_hooks + [dict(type='MetaDiagnosticsHook')]
