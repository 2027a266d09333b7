# noise2clean (noisy input, clean target), gauss25 noise, loss heat0.2;
# other losses: --cfg-options model.loss=mse|lp2|lp1|heat0.1|poisson0.2
_base_ = ['../_base_/protocols/dncnn_skimage.py']
style = 'gauss25'
model = dict(mode='n2c', loss='heat0.2')
train_dataloader = dict(dataset=dict(pipeline=[
    dict(type='RandomDihedral'),
    dict(type='AddImageNoise', style=style),
    dict(type='PackDenoiseInputs')
]))
val_dataloader = dict(dataset=dict(pipeline=[
    dict(type='AddImageNoise', style=style, seed=0),
    dict(type='PackDenoiseInputs')
]))
test_dataloader = val_dataloader
