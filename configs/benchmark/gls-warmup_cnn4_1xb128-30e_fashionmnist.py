# GLS with a CE warm-up in one run on the Fashion-MNIST benchmark protocol:
# plain CE (wa=1, wb=0, the official warm-up) for the first 10 epochs, then
# negative label smoothing r = -0.4 (the official CIFAR default) for the
# other 20, on the protocol's optimizer and cosine schedule. The official
# two-stage procedure (a separate warm-up run, then GLS at a constant lr of
# 1e-6) is configs/gls/gls_*; the paper has no MNIST setting.
_base_ = ['../_base_/protocols/fashionmnist_bench.py']
model = dict(
    head=dict(loss=dict(_delete_=True, type='GLSLoss', smooth_rate=-0.4)))
custom_hooks = _base_.custom_hooks + [
    dict(type='GLSWarmupHook', warmup_epochs=10)
]
