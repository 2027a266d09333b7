# noise2self (grid-masked input, loss on masked pixels),
# saltpepper0.3 noise, loss heat0.2;
# the n2c config of this setting with mode='n2s'.
_base_ = ['./n2c_dncnn17_1xb128-120e_bsd400_saltpepper0.3.py']
model = dict(mode='n2s')
