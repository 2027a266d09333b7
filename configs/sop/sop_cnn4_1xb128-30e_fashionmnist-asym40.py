# SOP on the Fashion-MNIST benchmark protocol, 40 % asymmetric noise (the
# MNIST class map): lr_u 0.1, lr_v 100, the official CIFAR-100 asymmetric
# command of shengliu66/SOP (its README: 0.1 for u rather than the paper's
# 1); the rest as the sym80 config.
_base_ = ['./sop_cnn4_1xb128-30e_fashionmnist-sym80.py']
optim_wrapper = dict(sop=dict(lr_u=0.1, lr_v=100))
train_dataloader = dict(
    dataset=dict(
        noise=dict(
            _delete_=True,
            type='asymmetric',
            rate=0.4,
            class_map='mnist',
            exact=False)))
