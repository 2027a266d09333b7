# SLN on Animal-10N (re-sln's setting; the official repo has no Animal-10N
# script): images resized to 32x32, WRN-28-2, SGD lr 0.001 constant,
# 300 epochs. The real ~8 % noise; no clean training labels.
_base_ = [
    '../models/wrn28_2_cifar.py', '../datasets/animal10n_bs128.py',
    '../schedules/sln_sgd_300e.py', '../default_runtime.py'
]
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(32, 32)),
    dict(type='RandomCrop', crop_size=32, padding=4),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(32, 32)),
    dict(type='PackInputs'),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader
