# Dynamic Loss on the Fashion-MNIST benchmark protocol (no imbalance: its
# margin generator then has flat class priors). The algorithm needs two
# views: the weak one is the image as loaded, the strong one crop + flip
# (used for that view only). R = 100 rank bins, 2 warm-up epochs, no
# corrector warm-up, the meta-net on Adam 3e-3 at a fixed lr (the values of
# configs/metadynamic); the classifier keeps the protocol's SGD and
# schedule. Its meta set is chosen from the noisy training data by rank:
# no clean data.
_base_ = ['../_base_/protocols/fashionmnist_bench.py']
train_dataloader = dict(
    dataset=dict(
        dataset=dict(pipeline=[
            dict(type='StoreWeakView'),
            dict(type='RandomCrop', crop_size=28, padding=2),
            dict(type='RandomFlip', prob=0.5, direction='horizontal'),
            dict(type='PackNoisyInputs', algorithm_keys=['weak_img']),
        ])),
    sampler=dict(type='ExcludeSampler', shuffle=True))
model = dict(
    type='DynamicLossClassifier',
    lc_warmup_iters=0,
    meta_net=dict(type='DynamicLossMetaNet', rank_num=100, hidden=64))
optim_wrapper = dict(
    _delete_=True,
    constructor='MetaOptimWrapperConstructor',
    model=_base_.optim_wrapper,
    meta=dict(optimizer=dict(type='Adam', lr=3e-3, weight_decay=0.)))
param_scheduler = dict(
    _delete_=True, model=[_base_.param_scheduler], meta=[])
train_cfg = dict(
    _delete_=True,
    type='DynamicLossTrainLoop',
    max_epochs=30,
    warmup_epochs=2,
    val_interval=1)
model_wrapper_cfg = dict(type='mmpretrain.MetaDistributedDataParallel')
custom_hooks = _base_.custom_hooks + [dict(type='MetaDiagnosticsHook')]
