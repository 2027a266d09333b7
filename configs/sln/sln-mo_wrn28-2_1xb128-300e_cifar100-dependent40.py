# SLN-MO: SLN with the momentum (EMA) model, sigma=0.1; the CE config
# of this setting plus the method.
_base_ = ['./ce_wrn28-2_1xb128-300e_cifar100-dependent40.py',
          '../_base_/methods/sln_mo.py']
model = dict(head=dict(loss=dict(type='SLNLoss', sigma=0.1)))
custom_hooks = _base_.custom_hooks + _base_._sln_mo_hooks
