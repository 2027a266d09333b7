# CIFAR-N baseline protocol: SGD 0.1, m 0.9, wd 5e-4, 100 epochs, lr x0.1 at
# epoch 60 (the paper's "50" is a typo, CIFAR-N issue #8).
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=5e-4))
param_scheduler = dict(type='MultiStepLR', by_epoch=True, milestones=[60],
                       gamma=0.1)
train_cfg = dict(by_epoch=True, max_epochs=100, val_interval=1)
val_cfg = dict()
test_cfg = dict()
auto_scale_lr = dict(base_batch_size=128)
