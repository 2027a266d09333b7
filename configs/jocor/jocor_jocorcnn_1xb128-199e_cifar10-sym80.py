# JoCoR, the official CIFAR-10 setting (hongxin001/JoCoR main.py, README:
# lambda 0.65 at 80 % symmetric): the 6-layer CNN, one Adam over both
# networks, forget rate = the noise rate, T_k = 10, the lr / beta1 decay
# from official epoch 80; 80 % symmetric noise drawn per sample from the
# transition matrix (the official noisify: the true class excluded).
_base_ = ['../_base_/protocols/coteaching_cifar10.py']
model = dict(
    type='JoCoRClassifier',
    forget_rate=0.8,
    co_lambda=0.65,
    backbone=dict(type='JoCoRCNN'),
    head=dict(in_channels=256))
optim_wrapper = dict(joint=True)
train_dataloader = dict(
    dataset=dict(
        noise=dict(_delete_=True, type='symmetric', rate=0.8, exact=False)))
