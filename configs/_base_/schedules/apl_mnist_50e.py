# APL's MNIST schedule (HanxunH/Active-Passive-Losses configs/mnist/*.yaml):
# SGD lr 0.01, momentum 0.9, Nesterov, weight decay 1e-2, 50 epochs cosine to
# 0.001, gradient-norm clipping at 5.0. (ALFs' MNIST schedule differs:
# wd 1e-3, no Nesterov, cosine to 0; see alfs_mnist_50e.py.)
optim_wrapper = dict(
    optimizer=dict(
        type='SGD', lr=0.01, momentum=0.9, weight_decay=1e-2, nesterov=True),
    clip_grad=dict(max_norm=5.0))
param_scheduler = dict(
    type='CosineAnnealingLR', by_epoch=True, T_max=50, eta_min=0.001)
train_cfg = dict(by_epoch=True, max_epochs=50, val_interval=1)
val_cfg = dict()
test_cfg = dict()
auto_scale_lr = dict(base_batch_size=128)
