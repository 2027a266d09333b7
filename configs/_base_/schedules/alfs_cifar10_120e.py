# ALFs / APL protocol on CIFAR-10: SGD m 0.9, lr 0.01, wd 1e-4, 120 epochs
# cosine to 0, gradient-norm clipping at 5.0 every step
# (configs/robust_losses/README.md).
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=1e-4),
    clip_grad=dict(max_norm=5.0))
param_scheduler = dict(type='CosineAnnealingLR', by_epoch=True, T_max=120,
                       eta_min=0.0)
train_cfg = dict(by_epoch=True, max_epochs=120, val_interval=1)
val_cfg = dict()
test_cfg = dict()
auto_scale_lr = dict(base_batch_size=128)
