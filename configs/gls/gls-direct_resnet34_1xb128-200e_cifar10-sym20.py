# GLS trained directly (no warm-up), the official recommendation for CE and
# positive LS at low noise: 200 epochs, SGD m 0.9 nesterov wd 1e-4, lr 0.1
# x0.1 at epochs 100 and 150 (main_GLS_direct_train.py). 20 % symmetric noise,
# positive LS r = 0.2; other r: --cfg-options model.head.loss.smooth_rate=...
_base_ = [
    '../_base_/models/resnet34_cifar_torch_init.py',
    '../_base_/datasets/cifar10_bs128.py',
    '../_base_/default_runtime.py'
]
model = dict(
    head=dict(loss=dict(_delete_=True, type='GLSLoss', smooth_rate=0.2)))
# GLS draws the symmetric noise per sample.
train_dataloader = dict(dataset=dict(noise=dict(rate=0.2, exact=False)))
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=1e-4,
                   nesterov=True))
param_scheduler = dict(type='MultiStepLR', by_epoch=True,
                       milestones=[100, 150], gamma=0.1)
train_cfg = dict(by_epoch=True, max_epochs=200, val_interval=1)
val_cfg = dict()
test_cfg = dict()
auto_scale_lr = dict(base_batch_size=128)
