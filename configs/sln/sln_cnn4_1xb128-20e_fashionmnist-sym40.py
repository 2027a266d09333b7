# SLN: Gaussian noise on the target, sigma=1.0;
# the CE config of this setting plus one component.
_base_ = ['./ce_cnn4_1xb128-20e_fashionmnist-sym40.py']
model = dict(head=dict(loss=dict(type='SLNLoss', sigma=1.0)))
