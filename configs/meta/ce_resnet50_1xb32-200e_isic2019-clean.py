# Baseline at 0 % noise (clean labels).
_base_ = ['./ce_resnet50_1xb32-200e_isic2019-sym40.py']
train_dataloader = dict(dataset=dict(noise=dict(rate=0.0)))
