# DivideMix, the official CIFAR-10 setting at 20 % symmetric noise
# (LiJunnan1992/DivideMix Train_cifar.py; paper: 96.1 % best):
# lambda_u 0 (DM#50).
# The official symmetric noise redraws the label uniformly over all
# classes, the true one included (symmetric_inclusive, exact=True:
# exactly int(r N) samples, as the official code): the real rate
# is r (C - 1) / C = 18 %.
_base_ = ['../_base_/protocols/dividemix_cifar10.py']
model = dict(lambda_u=0.0)
train_dataloader = dict(
    dataset=dict(
        noise=dict(
            _delete_=True, type='symmetric_inclusive', rate=0.2,
            exact=True)))
