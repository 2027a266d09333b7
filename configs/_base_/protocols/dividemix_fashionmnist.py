# DivideMix on the Fashion-MNIST benchmark protocol: the protocol's network,
# optimizer, schedule and budget, two 4-layer CNNs; DivideMix's two
# augmented views (random crop 28 with padding 2, horizontal flip) are the
# only augmentation: its warm-up and semi-supervised steps train on them,
# as the official code, its division pass and the test read the images as
# they are (the CE row has no augmentation at all). Warm-up 5 epochs (the
# official 10 of 300 is for CIFAR-10; CE on Fashion-MNIST has not yet
# memorised at 5), the official lambda_u / tau / T / alpha / ramp.
_base_ = ['./fashionmnist_bench.py']
augment = [
    dict(type='RandomCrop', crop_size=28, padding=2),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
]
train_dataloader = dict(
    dataset=dict(
        dataset=dict(pipeline=[
            dict(type='ExtraAugmentedView', transforms=augment),
            *augment,
            dict(type='PackNoisyInputs', algorithm_keys=['view2']),
        ])))
model = dict(type='DivideMixClassifier', lambda_u=25.0, eval_mode='logit_sum')
optim_wrapper = dict(constructor='TwoNetworkOptimWrapperConstructor')
train_cfg = dict(
    _delete_=True,
    type='DivideMixTrainLoop',
    max_epochs=30,
    val_interval=1, warmup_epochs=5, p_threshold=0.5,
    ssl_batch_size=64)
model_wrapper_cfg = dict(type='mmpretrain.MetaDistributedDataParallel')
val_evaluator = [
    dict(type='Accuracy', topk=(1, )),
    dict(type='TwoNetworkAccuracy')
]
test_evaluator = val_evaluator
