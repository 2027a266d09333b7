# SLN: Gaussian noise on the target, sigma=0.5;
# the CE config of this setting plus one component.
_base_ = ['./ce_wrn28-2_1xb128-300e_cifar10-asym40.py']
model = dict(head=dict(loss=dict(type='SLNLoss', sigma=0.5)))
