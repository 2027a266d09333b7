# Two-network methods on scikit-learn digits (embedded): the robust-loss
# digits protocol (4-layer CNN on 8x8, batch 64, SGD lr 0.05 momentum 0.9
# wd 1e-3, cosine over 30 epochs, clip 5), two networks each with its own
# optimizer; the leaf sets the method.
_base_ = ['./alfs_digits.py']
model = dict(
    eval_mode='net1',
    head=dict(loss=dict(type='CrossEntropyLoss', loss_weight=1.0)))
optim_wrapper = dict(constructor='TwoNetworkOptimWrapperConstructor')
train_cfg = dict(
    _delete_=True, type='TwoNetworkTrainLoop', max_epochs=30, val_interval=1)
model_wrapper_cfg = dict(type='mmpretrain.MetaDistributedDataParallel')
train_dataloader = dict(dataset=dict(noise=dict(type='symmetric', rate=0.8)))
val_evaluator = [
    dict(type='Accuracy', topk=(1, )),
    dict(type='TwoNetworkAccuracy')
]
test_evaluator = val_evaluator
custom_hooks = _base_.custom_hooks + [dict(type='MetaDiagnosticsHook')]
