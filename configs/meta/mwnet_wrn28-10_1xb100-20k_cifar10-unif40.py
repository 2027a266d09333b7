# Meta-Weight-Net on WRN-28-10 (train_WRN-28-10_Meta_PGC.py): V-Net 1-100-1
# on SGD 1e-3, momentum 0.9, Nesterov, weight decay 5e-4, fixed lr; the
# classifier on the protocol's optimizer and iteration schedule.
_base_ = ['../_base_/protocols/meta_cifar10_wrn28_10.py']
model = dict(
    type='MetaWeightNetClassifier',
    meta_net=dict(type='MetaWeightNet', hidden=100))
optim_wrapper = dict(
    _delete_=True,
    constructor='MetaOptimWrapperConstructor',
    model=_base_.optim_wrapper,
    meta=dict(optimizer=dict(type='SGD', lr=1e-3, momentum=0.9,
                             nesterov=True, weight_decay=5e-4)))
param_scheduler = dict(
    _delete_=True, model=[_base_.param_scheduler], meta=[])
