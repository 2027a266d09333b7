# The photographs bundled with scikit-image (no download), grey. CPU budget:
# photos shrunk to at most 256 pixels, 40x40 patches at stride 20, scales 1
# and 0.7 (about 1,750 patches); the 4 test photos whole, cropped to a
# multiple of 32, noise drawn with a fixed seed per image.
train_dataloader = dict(
    batch_size=64,
    num_workers=0,
    dataset=dict(
        type='SkimagePhotos',
        split='train',
        max_side=256,
        stride=20,
        scales=(1, 0.7),
        pipeline=[
            dict(type='RandomDihedral'),
            dict(type='AddImageNoise', style='gauss25'),
            dict(type='PackDenoiseInputs')
        ]),
    sampler=dict(type='DefaultSampler', shuffle=True))
val_dataloader = dict(
    batch_size=1,
    num_workers=0,
    dataset=dict(
        type='SkimagePhotos',
        split='test',
        pipeline=[
            dict(type='AddImageNoise', style='gauss25', seed=0),
            dict(type='PackDenoiseInputs')
        ]),
    sampler=dict(type='DefaultSampler', shuffle=False))
val_evaluator = [dict(type='PSNR'), dict(type='SSIM')]
test_dataloader = val_dataloader
test_evaluator = val_evaluator
