# Robust-loss protocol on MNIST, 4-layer CNN, ALFs/APL protocol: 50 epochs.
# 40 % symmetric noise; the leaf config sets the loss.
_base_ = [
    '../models/cnn4_mnist.py',
    '../datasets/mnist_bs128.py',
    '../schedules/alfs_mnist_50e.py',
    '../default_runtime.py'
]
# ALFs draws MNIST's symmetric noise per sample (lnl/data/utils.py); APL's
# protocol flips an exact count per class (apl_mnist.py keeps the default).
# --noise replaces the whole noise dict: keep per-sample draws for another
# rate with --noise sym80 --cfg-options
#   train_dataloader.dataset.noise.exact=False
# (and use --noise, not noise.type=..., to switch to a generator without it).
train_dataloader = dict(dataset=dict(noise=dict(exact=False)))
# The official code initialises the FC weight only (Xavier-uniform); its bias
# keeps PyTorch's default U(+-1/sqrt(fan_in)). KeepBias does the same.
model = dict(head=dict(init_cfg=dict(
    _delete_=True, type='KeepBias',
    init=dict(type='Xavier', layer='Linear', distribution='uniform'))))
