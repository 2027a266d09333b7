# The official CIFAR-10 protocol of Co-teaching (bhanML/Co-teaching main.py),
# which Co-teaching+ and JoCoR keep: ToTensor only (no augmentation and no
# normalisation: mean 0, std 255), batch 128 with drop_last, one Adam per
# network (lr 1e-3; the JoCoR leaves make it one over both), 199 epochs
# (the official range(1, 200)). From official epoch 80 (our 0-based 79) the
# lr decays linearly, lr * (200 - e) / (200 - 80) at official epoch e, and
# Adam's beta1 drops from 0.9 to 0.1. Both networks are evaluated on the
# whole test set every epoch (the official drop_last test loader scores
# 9,984 of the 10,000). The leaf sets the method (model.type and its
# arguments), the network (backbone, neck, head.in_channels) and the noise.
_base_ = ['../datasets/cifar10_bs128.py', '../default_runtime.py']
data_preprocessor = dict(mean=[0., 0., 0.], std=[255., 255., 255.])
train_dataloader = dict(
    drop_last=True,
    dataset=dict(dataset=dict(pipeline=[dict(type='PackNoisyInputs')])))
# PyTorch's default initialisation everywhere, as the official code (no
# mmpretrain head init).
model = dict(
    eval_mode='net1',
    head=dict(
        type='LinearClsHead',
        num_classes=10,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
        init_cfg=[]))
optim_wrapper = dict(
    constructor='TwoNetworkOptimWrapperConstructor',
    optimizer=dict(type='Adam', lr=1e-3, betas=(0.9, 0.999)))
# MMEngine's LinearLR reaches end_factor at step end - 1: end = 200 (never
# run) gives the factor (199 - k) / 120 at our epoch k = e - 1, 1/120 at the
# last epoch, as the official plan. The momentum schedulers set Adam's
# beta1; 0.9 * (0.1 / 0.9) is exactly 0.1 in floating point.
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=1.0,
        end_factor=0.0,
        begin=79,
        end=200,
        by_epoch=True),
    dict(
        type='MultiStepMomentum',
        milestones=[79],
        gamma=0.1 / 0.9,
        by_epoch=True),
]
train_cfg = dict(type='TwoNetworkTrainLoop', max_epochs=199, val_interval=1)
val_cfg = dict()
test_cfg = dict()
auto_scale_lr = dict(base_batch_size=128)
model_wrapper_cfg = dict(type='mmpretrain.MetaDistributedDataParallel')
val_evaluator = [
    dict(type='Accuracy', topk=(1, )),
    dict(type='TwoNetworkAccuracy')
]
test_evaluator = val_evaluator
custom_hooks = _base_.custom_hooks + [dict(type='MetaDiagnosticsHook')]
