# Forward loss correction with the oracle T on scikit-learn digits, 80 %
# symmetric noise (a reference, see the Fashion-MNIST oracle configs).
_base_ = ['./forward-correction_cnn4_1xb64-30e_digits-sym80.py']
custom_hooks = [
    h if h['type'] != 'LossCorrectionHook' else dict(
        type='LossCorrectionHook', source='oracle')
    for h in _base_.custom_hooks
]
