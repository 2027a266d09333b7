# SGD momentum 0.9 + cosine annealing; epochs and lr are set by the leaf.
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=5e-4),
    clip_grad=None)
param_scheduler = dict(type='CosineAnnealingLR', by_epoch=True, T_max=30,
                       eta_min=0.0)
train_cfg = dict(by_epoch=True, max_epochs=30, val_interval=1)
val_cfg = dict()
test_cfg = dict()
auto_scale_lr = dict(base_batch_size=128)
