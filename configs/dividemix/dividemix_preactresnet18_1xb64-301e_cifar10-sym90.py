# DivideMix, the official CIFAR-10 setting at 90 % symmetric noise
# (LiJunnan1992/DivideMix Train_cifar.py; paper: 76.0 % best):
# lambda_u 50 and p_threshold 0.6 (DM#46, paper text);
# the GMM reads the mean of the last 5 losses (official at r = 0.9).
# The official symmetric noise redraws the label uniformly over all
# classes, the true one included (symmetric_inclusive, exact=True:
# exactly int(r N) samples, as the official code): the real rate
# is r (C - 1) / C = 81 %.
_base_ = ['../_base_/protocols/dividemix_cifar10.py']
model = dict(lambda_u=50.0, loss_history=5)
train_dataloader = dict(
    dataset=dict(
        noise=dict(
            _delete_=True, type='symmetric_inclusive', rate=0.9,
            exact=True)))
train_cfg = dict(p_threshold=0.6)
