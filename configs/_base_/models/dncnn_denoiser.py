# DnCNN-17 (64 channels, residual) as a self-supervised denoiser; the leaf
# sets mode (n2c / n2n / n2s) and the pixel loss.
model = dict(
    type='SelfSupervisedDenoiser',
    backbone=dict(type='DnCNN', depth=17, channels=64, in_channels=1),
    loss='mse',
    mode='n2c',
    masker=dict(width=5, mode='random'))
