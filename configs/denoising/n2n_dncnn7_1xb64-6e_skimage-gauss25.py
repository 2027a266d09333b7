# noise2noise (target: an independent noisy copy), loss heat0.2.
# Noise: gauss25 (the protocol's); any other with --noise STYLE.
# Loss: --cfg-options model.loss=mse|lp2|lp1|heat0.1|poisson0.2
_base_ = ['../_base_/protocols/dncnn_skimage.py']
model = dict(mode='n2n', loss='heat0.2')
train_dataloader = dict(dataset=dict(pipeline=[
    dict(type='RandomDihedral'),
    dict(type='AddImageNoise', style='gauss25', num_copies=2),
    dict(type='PackDenoiseInputs')
]))
