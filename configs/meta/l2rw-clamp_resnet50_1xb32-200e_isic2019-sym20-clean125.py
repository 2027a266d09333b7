# Reweighting (clamp weights), 20 % noise, all 125 clean meta images (batch 25,
# shuffled).
_base_ = ['./l2rw-clamp_resnet50_1xb32-200e_isic2019-sym40-clean5.py']
train_dataloader = dict(dataset=dict(noise=dict(rate=0.2)))
train_cfg = dict(
    meta_dataloader=dict(
        batch_size=25,
        dataset=dict(indices=None),
        sampler=dict(shuffle=True)))
