# ELR+, the official CIFAR-10 symmetric command: shengliu66/ELR ELR_plus
# README, python train.py -c config_cifar10.json --percent 0.8. beta 0.7,
# lambda 3, coef_step 0 (no ramp of lambda); MultiStepLR milestones [150],
# gamma 0.1; 200 epochs. The data and the noise are the ELR leaf's
# (int(r N) of 45,000 labels redrawn from all 10 classes, realised 0.9 r).
_base_ = [
    './elr_resnet34_1xb128-150e_cifar10-sym40.py',
    '../_base_/methods/elr_plus_preactresnet18.py'
]
model = dict(**_base_._elr_plus_model, beta=0.7, lambda_elr=3.0)
optim_wrapper = _base_._elr_plus_optim_wrapper
param_scheduler = dict(
    _delete_=True,
    type='MultiStepLR',
    by_epoch=True,
    milestones=[150],
    gamma=0.1)
train_cfg = dict(
    _delete_=True, type='TwoNetworkTrainLoop', max_epochs=200, val_interval=1)
model_wrapper_cfg = dict(type='mmpretrain.MetaDistributedDataParallel')
train_dataloader = dict(dataset=dict(noise=dict(rate=0.8)))
val_evaluator = _base_._elr_plus_evaluator
test_evaluator = val_evaluator
# the loop sizes the store (no SampleStoreHook); the targets' diagnostics
custom_hooks = [
    h for h in _base_.custom_hooks if h['type'] != 'SampleStoreHook'
] + [dict(type='MetaDiagnosticsHook')]
