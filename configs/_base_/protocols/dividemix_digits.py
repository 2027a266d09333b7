# DivideMix on scikit-learn digits (embedded): the two-network digits
# protocol, DivideMix's two views a random crop of 8 with padding 1 (no
# flip: a mirrored digit is another glyph), warm-up 5 of 30 epochs, batch 64
# in the warm-up and 32 + 32 in the semi-supervised steps.
_base_ = ['./alfs_digits.py']
augment = [dict(type='RandomCrop', crop_size=8, padding=1)]
train_dataloader = dict(
    dataset=dict(
        dataset=dict(pipeline=[
            dict(type='ExtraAugmentedView', transforms=augment),
            *augment,
            dict(type='PackNoisyInputs', algorithm_keys=['view2']),
        ]),
        noise=dict(type='symmetric', rate=0.8)))
model = dict(
    type='DivideMixClassifier',
    lambda_u=25.0,
    eval_mode='logit_sum',
    head=dict(loss=dict(type='CrossEntropyLoss', loss_weight=1.0)))
optim_wrapper = dict(constructor='TwoNetworkOptimWrapperConstructor')
train_cfg = dict(
    _delete_=True,
    type='DivideMixTrainLoop',
    max_epochs=30,
    val_interval=1, warmup_epochs=5, p_threshold=0.5,
    ssl_batch_size=32)
model_wrapper_cfg = dict(type='mmpretrain.MetaDistributedDataParallel')
val_evaluator = [
    dict(type='Accuracy', topk=(1, )),
    dict(type='TwoNetworkAccuracy')
]
test_evaluator = val_evaluator
