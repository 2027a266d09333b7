# DivideMix, the official CIFAR-10 setting at 80 % symmetric noise
# (LiJunnan1992/DivideMix Train_cifar.py; paper: 93.2 % best):
# lambda_u 25 (the default; with it a user reproduced the paper's numbers,
# LiJunnan1992/DivideMix#17; docs/notes/two_networks_official_code.md).
# The official symmetric noise redraws the label uniformly over all
# classes, the true one included (symmetric_inclusive, exact=True:
# exactly int(r N) samples, as the official code): the real rate
# is r (C - 1) / C = 72 %.
_base_ = ['../_base_/protocols/dividemix_cifar10.py']
model = dict(lambda_u=25.0)
train_dataloader = dict(
    dataset=dict(
        noise=dict(
            _delete_=True, type='symmetric_inclusive', rate=0.8,
            exact=True)))
