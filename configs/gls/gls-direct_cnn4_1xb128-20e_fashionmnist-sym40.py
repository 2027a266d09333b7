# GLS trained directly on Fashion-MNIST (Debian's dataset-fashion-mnist),
# 40 % symmetric noise, with the robust-loss Fashion-MNIST schedule;
# negative LS r = -0.4, --cfg-options model.head.loss.smooth_rate=...
_base_ = ['../robust_losses/ce_cnn4_1xb128-20e_fashionmnist-sym40.py']
model = dict(
    head=dict(
        loss=dict(_delete_=True, type='GLSLoss', smooth_rate=-0.4)))
