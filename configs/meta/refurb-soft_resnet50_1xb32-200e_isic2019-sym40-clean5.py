# Meta label refurbishment (soft, stored per-image labels), 40 % noise, as
# the seed's train_soft_distributed.py: no gradient clipping, and the meta
# batches cycle through all 125 clean images, 5 at a time, in file order
# (the hard script keeps one fixed batch of 5 and clips at 0.25).
_base_ = ['./refurb-hard_resnet50_1xb32-200e_isic2019-sym40-clean5.py']
model = dict(target='soft')
optim_wrapper = dict(clip_grad=None)
train_cfg = dict(meta_dataloader=dict(dataset=dict(indices=None)))
