# Meta-Weight-Net (MW-Net.py): V-Net 1-100-1, Adam 1e-3 with weight decay
# 1e-4 at a fixed lr; weights not normalised by their sum. MW-Net's "flip"
# noise: every class moves to one random other class with probability 0.4
# (num_targets=2 gives "flip2").
_base_ = ['../_base_/protocols/meta_cifar100.py']
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
train_dataloader = dict(
    dataset=dict(
        noise=dict(
            _delete_=True, type='random_flip', rate=0.4, num_targets=1)))
