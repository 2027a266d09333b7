# CE on MNIST, 4-layer CNN, ALFs protocol (50 epochs).
# Hyper-parameters: LossPreset 'alfs_code' for 'mnist'.
# Asymmetric noise as ALFs / APL draw it (per sample):
#   --noise asym40_mnist --cfg-options model.head.loss.noise=asym
_base_ = ['../_base_/protocols/alfs_mnist.py']
model = dict(head=dict(loss=dict(
    _delete_=True, type='LossPreset', loss='CE', dataset='mnist',
    source='alfs_code')))
