# Two-network methods on the Fashion-MNIST benchmark protocol
# (fashionmnist_bench.py): two 4-layer CNNs, each its own SGD (the
# protocol's optimizer and schedule), both evaluated (TwoNetworkAccuracy);
# the leaf sets the method (model.type and its arguments).
_base_ = ['./fashionmnist_bench.py']
model = dict(eval_mode='net1')
optim_wrapper = dict(constructor='TwoNetworkOptimWrapperConstructor')
train_cfg = dict(
    _delete_=True, type='TwoNetworkTrainLoop', max_epochs=30, val_interval=1)
model_wrapper_cfg = dict(type='mmpretrain.MetaDistributedDataParallel')
val_evaluator = [
    dict(type='Accuracy', topk=(1, )),
    dict(type='TwoNetworkAccuracy')
]
test_evaluator = val_evaluator
custom_hooks = _base_.custom_hooks + [dict(type='MetaDiagnosticsHook')]
