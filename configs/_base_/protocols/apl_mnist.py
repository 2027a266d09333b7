# Robust-loss protocol on MNIST as APL runs it: the 4-layer CNN and data of
# the ALFs protocol, APL's own schedule (apl_mnist_50e.py); for the
# `apl_code` presets. 40 % symmetric noise; the leaf sets the loss.
_base_ = [
    '../models/cnn4_mnist.py',
    '../datasets/mnist_bs128.py',
    '../schedules/apl_mnist_50e.py',
    '../default_runtime.py'
]
# The official code initialises the FC weight only (Xavier-uniform); its bias
# keeps PyTorch's default U(+-1/sqrt(fan_in)). KeepBias does the same.
model = dict(head=dict(init_cfg=dict(
    _delete_=True, type='KeepBias',
    init=dict(type='Xavier', layer='Linear', distribution='uniform'))))
