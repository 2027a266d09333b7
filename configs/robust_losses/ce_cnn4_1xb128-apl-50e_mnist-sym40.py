# CE on MNIST, 4-layer CNN, APL's protocol and schedule (50 epochs, wd 1e-2,
# Nesterov, cosine to 0.001). Hyper-parameters: LossPreset 'apl_code' for
# 'mnist'; any other APL loss with --cfg-options model.head.loss.loss=KEY.
# Asymmetric noise: --noise asym40_mnist --cfg-options
#   model.head.loss.noise=asym
_base_ = ['../_base_/protocols/apl_mnist.py']
model = dict(head=dict(loss=dict(
    _delete_=True, type='LossPreset', loss='CE', dataset='mnist',
    source='apl_code')))
