# Forward loss correction with the oracle T (the realised transition of the
# training labels, known only for synthetic noise): the reference of what
# the anchor-point estimate could give, not a method.
_base_ = ['./forward-correction_cnn4_1xb128-30e_fashionmnist-asym40.py']
custom_hooks = [
    h if h['type'] != 'LossCorrectionHook' else dict(
        type='LossCorrectionHook', source='oracle')
    for h in _base_.custom_hooks
]
