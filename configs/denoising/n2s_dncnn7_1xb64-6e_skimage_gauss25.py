# noise2self (grid-masked input, loss on masked pixels),
# gauss25 noise, loss heat0.2;
# the n2c config of this setting with mode='n2s'.
_base_ = ['./n2c_dncnn7_1xb64-6e_skimage_gauss25.py']
model = dict(mode='n2s')
