# DnCNN data: BSD400 grey training images -> 40x40 patches (stride 10,
# scales 1 / 0.9 / 0.8 / 0.7, one of 8 flips / rotations each), the patch
# count trimmed to a multiple of the batch size and incomplete batches
# dropped (the official data generator and DataLoader); evaluated on BSD68
# and Set12 (each reported apart: psnr/Set68, psnr/Set12), cropped to a
# multiple of 32, noise drawn with a fixed seed per image.
_test_pipeline = [
    dict(type='AddImageNoise', style='gauss25', seed=0),
    dict(type='PackDenoiseInputs')
]
train_dataloader = dict(
    batch_size=128,
    num_workers=4,
    persistent_workers=True,
    drop_last=True,
    dataset=dict(
        type='ImageFolderDenoising',
        data_root='data/Train400',
        split='train',
        discard_to_multiple=128,
        pipeline=[
            dict(type='RandomDihedral'),
            dict(type='AddImageNoise', style='gauss25'),
            dict(type='PackDenoiseInputs')
        ]),
    sampler=dict(type='DefaultSampler', shuffle=True))
val_dataloader = dict(
    batch_size=1,
    num_workers=2,
    dataset=dict(
        type='ConcatDataset',
        datasets=[
            dict(type='ImageFolderDenoising', data_root='data/Test/Set68',
                 split='test', set_name='Set68', pipeline=_test_pipeline),
            dict(type='ImageFolderDenoising', data_root='data/Test/Set12',
                 split='test', set_name='Set12', pipeline=_test_pipeline),
        ]),
    sampler=dict(type='DefaultSampler', shuffle=False))
val_evaluator = [dict(type='PSNR'), dict(type='SSIM')]
test_dataloader = val_dataloader
test_evaluator = val_evaluator
