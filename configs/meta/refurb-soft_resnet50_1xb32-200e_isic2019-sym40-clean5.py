# Meta label refurbishment (soft, stored per-image labels), 40 % noise.
_base_ = ['./refurb-hard_resnet50_1xb32-200e_isic2019-sym40-clean5.py']
model = dict(target='soft')
