# Dynamic Loss on noisy and imbalanced digits (embedded): imbalance first
# (n_c = int(n_max * 0.1^(c/9)), LongTailDataset), then 40 % of the labels
# resampled from the long-tailed class prior (prior_resample); SmallCNN,
# batch 64, SGD lr 0.05 (cosine, 5-epoch linear warm-up), 30 epochs of which
# 5 are CE warm-up; the meta-net on Adam 3e-3; R = 20 rank bins (classes of
# 13 to 133 images).
_base_ = [
    '../models/small_cnn.py', '../datasets/digits_bs64.py',
    '../default_runtime.py'
]
model = dict(
    type='DynamicLossClassifier',
    meta_net=dict(type='DynamicLossMetaNet', rank_num=20, hidden=64))
train_dataloader = dict(
    dataset=dict(
        dataset=dict(
            _delete_=True,
            type='LongTailDataset',
            imbalance_ratio=0.1,
            dataset=dict(
                type='SklearnDigits',
                split='train',
                pipeline=[
                    dict(type='StoreWeakView'),
                    dict(type='PackNoisyInputs', algorithm_keys=['weak_img']),
                ])),
        noise=dict(_delete_=True, type='prior_resample', rate=0.4)),
    sampler=dict(type='ExcludeSampler', shuffle=True))
optim_wrapper = dict(
    constructor='MetaOptimWrapperConstructor',
    model=dict(
        optimizer=dict(type='SGD', lr=0.05, momentum=0.9, weight_decay=5e-4)),
    meta=dict(optimizer=dict(type='Adam', lr=3e-3, weight_decay=0.)))
param_scheduler = dict(
    model=[
        dict(type='LinearLR', start_factor=0.1, by_epoch=True, begin=0,
             end=5, convert_to_iter_based=True),
        dict(type='CosineAnnealingLR', by_epoch=True, begin=5, end=30,
             T_max=25, eta_min=0.0),
    ],
    meta=[])
train_cfg = dict(type='DynamicLossTrainLoop', max_epochs=30, warmup_epochs=5,
                 val_interval=1)
val_cfg = dict()
test_cfg = dict()
auto_scale_lr = dict(base_batch_size=64)
model_wrapper_cfg = dict(type='mmpretrain.MetaDistributedDataParallel')
custom_hooks = _base_.custom_hooks + [dict(type='MetaDiagnosticsHook')]
default_hooks = dict(logger=dict(interval=10))
