# DivideMix, the official CIFAR-100 setting at 50 % symmetric noise
# (LiJunnan1992/DivideMix Train_cifar.py; paper: 74.6 % best):
# lambda_u 150.
# The official symmetric noise redraws the label uniformly over all
# classes, the true one included (symmetric_inclusive, exact=True:
# exactly int(r N) samples, as the official code): the real rate
# is r (C - 1) / C = 49.5 %.
_base_ = ['../_base_/protocols/dividemix_cifar100.py']
model = dict(lambda_u=150.0)
train_dataloader = dict(
    dataset=dict(
        noise=dict(
            _delete_=True, type='symmetric_inclusive', rate=0.5,
            exact=True)))
