# CIFAR ResNet-34 with PyTorch's default initialisation, as GLS's
# models/resnet.py (UCSC-REAL/negative-label-smoothing) and the CIFAR-N
# baselines built on it: no init_cfg of mmpretrain (Kaiming fan-out convs,
# head N(0, 0.01)) and no zero-initialised last BN of each block.
_base_ = ['./resnet_cifar.py']
model = dict(
    backbone=dict(zero_init_residual=False, init_cfg=[]),
    head=dict(init_cfg=[]))
