# noise2self (grid-masked input, loss on the masked pixels), loss heat0.2.
# Noise: gauss25 (the protocol's); any other with --noise STYLE.
# Loss: --cfg-options model.loss=mse|lp2|lp1|heat0.1|poisson0.2
_base_ = ['../_base_/protocols/dncnn_skimage.py']
model = dict(mode='n2s', loss='heat0.2')
