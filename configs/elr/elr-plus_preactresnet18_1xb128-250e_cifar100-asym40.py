# ELR+, the official CIFAR-100 command: shengliu66/ELR ELR_plus README,
# python train.py -c config_cifar100.json --percent 0.4 --asym 1. beta 0.9,
# lambda 7, coef_step 40000 (lambda ramped in over 40,000 steps);
# MultiStepLR milestones [200], gamma 0.1; 250 epochs; with 100 classes the
# official loss re-weights the mixed labels by the targets
# (label_reweight, on by the official rule). The data, normalisation and
# block-of-five asymmetric noise are the ELR CIFAR-100 leaf's.
_base_ = [
    './elr_resnet34_1xb128-150e_cifar100-asym40.py',
    '../_base_/methods/elr_plus_preactresnet18.py'
]
model = dict(
    **_base_._elr_plus_model,
    beta=0.9,
    lambda_elr=7.0,
    coef_rampup_steps=40000)
model.update(head=dict(model['head'], num_classes=100))
optim_wrapper = _base_._elr_plus_optim_wrapper
param_scheduler = dict(
    _delete_=True,
    type='MultiStepLR',
    by_epoch=True,
    milestones=[200],
    gamma=0.1)
train_cfg = dict(
    _delete_=True, type='TwoNetworkTrainLoop', max_epochs=250, val_interval=1)
model_wrapper_cfg = dict(type='mmpretrain.MetaDistributedDataParallel')
val_evaluator = _base_._elr_plus_evaluator
test_evaluator = val_evaluator
custom_hooks = [
    h for h in _base_.custom_hooks if h['type'] != 'SampleStoreHook'
] + [dict(type='MetaDiagnosticsHook')]
