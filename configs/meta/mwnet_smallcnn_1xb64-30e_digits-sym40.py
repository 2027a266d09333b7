# Meta-Weight-Net: V-Net 1-100-1 on the detached loss, Adam 1e-3 (wd 1e-4)
# at a fixed lr; the classifier keeps the protocol's SGD and schedule.
_base_ = ['../_base_/protocols/meta_digits.py']
model = dict(
    type='MetaWeightNetClassifier',
    meta_net=dict(type='MetaWeightNet', hidden=100))
# The classifier keeps the protocol's optimizer and schedule; V-Net gets its
# own (a fixed lr).
optim_wrapper = dict(
    _delete_=True,
    constructor='MetaOptimWrapperConstructor',
    model=_base_.optim_wrapper,
    meta=dict(optimizer=dict(type='Adam', lr=1e-3, weight_decay=1e-4)))
param_scheduler = dict(
    _delete_=True, model=[_base_.param_scheduler], meta=[])
