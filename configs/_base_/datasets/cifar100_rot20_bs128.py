# CIFAR-100 with the ALFs / APL augmentation: crop, flip, RandomRotation(20).
_base_ = ['./cifar100_bs128.py']
train_pipeline = [
    dict(type='RandomCrop', crop_size=32, padding=4),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='NumpyToPIL', to_rgb=False),
    dict(type='torchvision/RandomRotation', degrees=20),
    dict(type='PILToNumpy', to_bgr=False),
    dict(type='PackNoisyInputs'),
]
train_dataloader = dict(dataset=dict(dataset=dict(pipeline=train_pipeline)))
