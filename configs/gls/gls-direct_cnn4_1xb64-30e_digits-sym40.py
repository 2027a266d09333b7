# GLS trained directly on embedded digits (40 % symmetric noise), the
# robust-loss digits schedule; r = -0.4, --cfg-options
# model.head.loss.smooth_rate=... for others (0.0 is CE).
_base_ = ['../robust_losses/ce_cnn4_1xb64-30e_digits-sym40.py']
model = dict(
    head=dict(
        loss=dict(_delete_=True, type='GLSLoss', smooth_rate=-0.4)))
