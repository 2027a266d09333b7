# ELR+ on the Fashion-MNIST benchmark protocol, 80 % symmetric noise: two
# 4-layer CNNs, each its own SGD (the protocol's optimizer, schedule and
# budget), no augmentation (mixup is part of the method); the official
# CIFAR-10 symmetric setting beta 0.7, lambda 3, mixup alpha 1, decay 0.997
# (shengliu66/ELR ELR_plus/config_cifar10.json), the decay ramp scaled to
# the budget: 40,000 of 78,200 CIFAR-10 steps (51 %), here 2,400 of 4,710
# per network. The test sums the two networks' logits (the official test).
_base_ = ['../_base_/protocols/two_network_fashionmnist.py']
model = dict(
    type='ELRPlusClassifier',
    beta=0.7,
    lambda_elr=3.0,
    mixup_alpha=1.0,
    ema_decay=0.997,
    ema_rampup_steps=2400,
    eval_mode='logit_sum')
