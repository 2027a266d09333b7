# Backward loss correction on scikit-learn digits, 80 % symmetric noise: the
# robust-loss digits protocol (4-layer CNN on 8x8, SGD lr 0.05 cosine over
# 30 epochs), T estimated after 3 CE warm-up epochs.
_base_ = ['../_base_/protocols/alfs_digits.py']
model = dict(
    head=dict(
        loss=dict(_delete_=True, type='BackwardCorrectionLoss',
                  num_classes=10)))
custom_hooks = _base_.custom_hooks + [
    dict(type='LossCorrectionHook', source='estimate', warmup_epochs=3)
]
train_dataloader = dict(dataset=dict(noise=dict(type='symmetric', rate=0.8)))
