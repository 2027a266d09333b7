# noise2clean (noisy input, clean target), loss heat0.2 (exp.sh).
# Noise: gauss25 (the protocol's); any other with --noise STYLE.
# Loss: --cfg-options model.loss=mse|lp2|lp1|heat0.1|poisson0.2
_base_ = ['../_base_/protocols/dncnn_bsd400.py']
model = dict(mode='n2c', loss='heat0.2')
