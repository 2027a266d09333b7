# ELR+ on scikit-learn digits, 80 % symmetric noise: the two-network
# digits protocol (two 4-layer CNNs, each its own SGD, 30 epochs); the
# official CIFAR-10 symmetric setting beta 0.7, lambda 3, mixup alpha 1,
# weight-average decay 0.997 (shengliu66/ELR ELR_plus/config_cifar10.json),
# its decay ramp scaled to the budget: the official 40,000 steps are 51 %
# of the 78,200 steps of a CIFAR-10 run, 340 is 51 % of this run's 660 per
# network. The test sums the two networks' logits (the official test).
_base_ = ['../_base_/protocols/two_network_digits.py']
model = dict(
    type='ELRPlusClassifier',
    beta=0.7,
    lambda_elr=3.0,
    mixup_alpha=1.0,
    ema_decay=0.997,
    ema_rampup_steps=340,
    eval_mode='logit_sum')
