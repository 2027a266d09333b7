# DivideMix, the official CIFAR-10 asymmetric setting
# (LiJunnan1992/DivideMix Train_cifar.py; paper: 93.4 % best): lambda_u 0
# and the confidence penalty (negative entropy) in the warm-up (DM#15, #26).
# The official class map, as asym40_cifar10.py: truck->automobile,
# bird->airplane, deer->horse, cat<->dog; 40 % of each of those classes
# flipped (the official code flips int(0.4 N) samples drawn over the whole
# set, so about 40 % per source class, about 20 % of all labels).
_base_ = ['../_base_/protocols/dividemix_cifar10.py']
model = dict(lambda_u=0.0, warmup_penalty=True)
train_dataloader = dict(
    dataset=dict(
        noise=dict(
            _delete_=True, type='asymmetric', rate=0.4,
            class_map='cifar10')))
