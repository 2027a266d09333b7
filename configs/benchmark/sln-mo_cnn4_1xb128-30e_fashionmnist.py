# SLN-MO: SLN with the momentum (EMA, decay 0.999) model, which is the model
# evaluated; the raw model's summary is summary_raw.json.
_base_ = [
    './sln_cnn4_1xb128-30e_fashionmnist.py', '../_base_/methods/sln_mo.py'
]
custom_hooks = _base_.custom_hooks + _base_._sln_mo_hooks
