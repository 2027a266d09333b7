# Meta-Weight-Net: V-Net 1-100-1 on the detached loss, Adam 1e-3 (wd 1e-4)
# at a fixed lr; the classifier keeps the protocol's SGD and schedule.
_base_ = ['../_base_/protocols/meta_fashionmnist.py']
model = dict(
    type='MetaWeightNetClassifier',
    meta_net=dict(type='MetaWeightNet', hidden=100))
optim_wrapper = dict(
    _delete_=True,
    constructor='MetaOptimWrapperConstructor',
    model=dict(
        optimizer=dict(
            type='SGD', lr=0.05, momentum=0.9, weight_decay=5e-4)),
    meta=dict(optimizer=dict(type='Adam', lr=1e-3, weight_decay=1e-4)))
param_scheduler = dict(
    _delete_=True,
    model=[dict(type='CosineAnnealingLR', by_epoch=True, T_max=20,
                eta_min=0.0)],
    meta=[])
