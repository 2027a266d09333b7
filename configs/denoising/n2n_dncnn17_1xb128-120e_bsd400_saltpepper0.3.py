# noise2noise (target: an independent noisy copy),
# saltpepper0.3 noise, loss heat0.2;
# the n2c config of this setting with mode='n2n'.
_base_ = ['./n2c_dncnn17_1xb128-120e_bsd400_saltpepper0.3.py']
model = dict(mode='n2n')
train_dataloader = dict(dataset=dict(pipeline=[
    dict(type='RandomDihedral'),
    dict(type='AddImageNoise', style='saltpepper0.3', num_copies=2),
    dict(type='PackDenoiseInputs')
]))
