# SOP on scikit-learn digits, 80 % symmetric noise: the robust-loss digits
# protocol (4-layer CNN on 8x8, SGD lr 0.05 momentum 0.9 wd 1e-3, clip 5,
# cosine over 30 epochs); u, v as the Fashion-MNIST sym80 config (lr_u 1,
# lr_v 10). 1,347 training images.
_base_ = ['../_base_/protocols/alfs_digits.py']
model = dict(type='SOPClassifier', num_samples=1347)
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
train_dataloader = dict(dataset=dict(noise=dict(type='symmetric', rate=0.8)))
