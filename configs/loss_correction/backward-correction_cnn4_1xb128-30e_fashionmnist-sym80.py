# Backward loss correction on the Fashion-MNIST benchmark protocol, 80 %
# symmetric noise, T estimated by the anchor-point estimator (97th
# percentile, the official filter) from the model after 3 CE warm-up epochs
# (not tuned). The oracle T instead: --cfg-options
#   custom_hooks.LossCorrectionHook.source=oracle
#   custom_hooks.LossCorrectionHook.warmup_epochs=None
_base_ = ['../_base_/protocols/fashionmnist_bench.py']
model = dict(
    head=dict(
        loss=dict(_delete_=True, type='BackwardCorrectionLoss',
                  num_classes=10)))
custom_hooks = _base_.custom_hooks + [
    dict(type='LossCorrectionHook', source='estimate', warmup_epochs=3)
]
