# JoCoR, the official CIFAR-10 setting (hongxin001/JoCoR main.py, README:
# lambda 0.9 at 40 % asymmetric): the 6-layer CNN, one Adam over both
# networks, forget rate 0.2 (the official rule for asymmetric noise: half
# the noise rate), T_k = 10, the lr / beta1 decay from official epoch 80;
# asymmetric noise, the class map of asym40_cifar10.py (truck->automobile,
# bird->airplane, deer->horse, cat<->dog), each label of those classes
# flipped with probability 0.4 (the official per-sample draw).
_base_ = ['../_base_/protocols/coteaching_cifar10.py']
model = dict(
    type='JoCoRClassifier',
    forget_rate=0.2,
    co_lambda=0.9,
    backbone=dict(type='JoCoRCNN'),
    head=dict(in_channels=256))
optim_wrapper = dict(joint=True)
train_dataloader = dict(
    dataset=dict(
        noise=dict(
            _delete_=True,
            type='asymmetric',
            rate=0.4,
            class_map='cifar10',
            exact=False)))
