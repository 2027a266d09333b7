# SOP on the Fashion-MNIST benchmark protocol, 80 % symmetric noise: the
# protocol's network, optimizer (SGD 0.01, momentum 0.9, wd 1e-3, gradient
# clip 5), cosine schedule and budget; the per-sample parameters u, v by
# their own SGD (momentum 0, wd 0, not scheduled) at lr_u 1, lr_v 10, init
# Normal(0, 1e-8): the official CIFAR-100 symmetric command of
# shengliu66/SOP (the paper has no MNIST setting). SOP, not SOP+: the
# protocol has no augmentation, and SOP+'s consistency needs two views.
_base_ = ['../_base_/protocols/fashionmnist_bench.py']
model = dict(type='SOPClassifier', num_samples=20000)
optim_wrapper = dict(
    _delete_=True,
    constructor='SOPOptimWrapperConstructor',
    model=dict(
        optimizer=_base_.optim_wrapper.optimizer,
        clip_grad=_base_.optim_wrapper.clip_grad),
    sop=dict(
        optimizer=dict(type='SGD', momentum=0, weight_decay=0),
        lr_u=1,
        lr_v=10))
param_scheduler = dict(
    _delete_=True,
    model=[_base_.param_scheduler],
    sop=[])
custom_hooks = _base_.custom_hooks + [dict(type='SampleStoreHook')]
model_wrapper_cfg = dict(type='mmpretrain.MetaDistributedDataParallel')
