# Reweighting (clamp weights), 20 % noise, the fixed "clean 5" meta batch.
_base_ = ['./l2rw-clamp_resnet50_1xb32-200e_isic2019-sym40-clean5.py']
train_dataloader = dict(dataset=dict(noise=dict(rate=0.2)))
