# ELR on the Fashion-MNIST benchmark protocol, 40 % asymmetric noise (MNIST
# class map): the official CIFAR-10 asymmetric setting beta 0.9, lambda 1
# (shengliu66/ELR config_cifar10_asym.json).
_base_ = ['../_base_/protocols/fashionmnist_bench.py']
model = dict(type='ELRClassifier', beta=0.9, lambda_elr=1.0)
custom_hooks = _base_.custom_hooks + [dict(type='SampleStoreHook')]
train_dataloader = dict(
    dataset=dict(
        noise=dict(
            _delete_=True,
            type='asymmetric',
            rate=0.4,
            class_map='mnist',
            exact=False)))
