# DnCNN data: BSD400 grey training images -> 40x40 patches (stride 10,
# scales 1 / 0.9 / 0.8 / 0.7, one of 8 flips / rotations each), BSD68 test
# images cropped to a multiple of 32, noise drawn with a fixed seed per image.
train_dataloader = dict(
    batch_size=128,
    num_workers=4,
    persistent_workers=True,
    dataset=dict(
        type='ImageFolderDenoising',
        data_root='data/Train400',
        split='train',
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
        type='ImageFolderDenoising',
        data_root='data/Test/Set68',
        split='test',
        pipeline=[
            dict(type='AddImageNoise', style='gauss25', seed=0),
            dict(type='PackDenoiseInputs')
        ]),
    sampler=dict(type='DefaultSampler', shuffle=False))
val_evaluator = [dict(type='PSNR'), dict(type='SSIM')]
test_dataloader = val_dataloader
test_evaluator = val_evaluator
