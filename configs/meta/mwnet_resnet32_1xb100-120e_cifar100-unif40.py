# Meta-Weight-Net (MW-Net.py): V-Net 1-100-1, Adam 1e-3 with weight decay
# 1e-4 at a fixed lr; weights not normalised by their sum.
_base_ = ['../_base_/protocols/meta_cifar100.py']
model = dict(
    type='MetaWeightNetClassifier',
    meta_net=dict(type='MetaWeightNet', hidden=100))
optim_wrapper = dict(
    _delete_=True,
    constructor='MetaOptimWrapperConstructor',
    model=dict(
        optimizer=dict(
            type='SGD', lr=0.1, momentum=0.9, weight_decay=5e-4)),
    meta=dict(optimizer=dict(type='Adam', lr=1e-3, weight_decay=1e-4)))
param_scheduler = dict(
    _delete_=True,
    model=[
        dict(type='MultiStepLR', by_epoch=True, milestones=[80, 100],
             gamma=0.1)
    ],
    meta=[])
