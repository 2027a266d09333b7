# Meta-Weight-Net on the Fashion-MNIST benchmark protocol: V-Net 1-100-1 on
# the detached loss, Adam 1e-3 (wd 1e-4) at a fixed lr (the official
# values); the classifier keeps the protocol's SGD and schedule. Uses the
# 1,000 clean meta images.
_base_ = ['../_base_/protocols/fashionmnist_bench_meta.py']
model = dict(
    type='MetaWeightNetClassifier',
    meta_net=dict(type='MetaWeightNet', hidden=100))
optim_wrapper = dict(
    _delete_=True,
    constructor='MetaOptimWrapperConstructor',
    model=_base_.optim_wrapper,
    meta=dict(optimizer=dict(type='Adam', lr=1e-3, weight_decay=1e-4)))
param_scheduler = dict(
    _delete_=True, model=[_base_.param_scheduler], meta=[])
