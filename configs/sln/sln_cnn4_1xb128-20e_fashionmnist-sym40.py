# SLN: Gaussian noise on the target, sigma=1.0;
# 40 % symmetric noise. Asymmetric: --cfg-options
#   train_dataloader.dataset.noise.type=asymmetric
#   train_dataloader.dataset.noise.class_map=mnist model.head.loss.sigma=0.5
_base_ = ['../_base_/protocols/sln_fashionmnist.py']
model = dict(head=dict(loss=dict(type='SLNLoss', sigma=1.0)))
