# CE on the ISIC 2019 5,000 / 1,250 subset with 20 % injected noise
# (the reweighting seed's baseline: ResNet-50, 200 epochs, lr 1e-3 decayed
# every 50 epochs).
_base_ = [
    '../_base_/models/resnet50.py', '../_base_/datasets/isic2019_bs32.py',
    '../_base_/default_runtime.py'
]
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=1e-3, momentum=0.9, weight_decay=1e-4))
param_scheduler = dict(type='StepLR', by_epoch=True, step_size=50, gamma=0.1)
train_cfg = dict(by_epoch=True, max_epochs=200, val_interval=1)
val_cfg = dict()
test_cfg = dict()
auto_scale_lr = dict(base_batch_size=32)
