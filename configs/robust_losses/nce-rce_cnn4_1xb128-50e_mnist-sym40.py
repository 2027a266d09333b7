# NCE+RCE on MNIST, 4-layer CNN, ALFs protocol (50 epochs).
# Hyper-parameters: LossPreset 'alfs_code' for 'mnist'.
# Other noise: --cfg-options train_dataloader.dataset.noise.type=asymmetric
#   train_dataloader.dataset.noise.class_map=mnist model.head.loss.noise=asym
_base_ = ['../_base_/protocols/alfs_mnist.py']
model = dict(head=dict(loss=dict(
    _delete_=True, type='LossPreset', loss='NCE+RCE', dataset='mnist',
    source='alfs_code')))
