# Co-teaching+, the official CIFAR-10 setting (xingruiyu/coteaching_plus
# main.py): the LeNet-like CNN_small, init_epoch 20 (plain Co-teaching for
# official epochs 1-19), forget rate = the noise rate, T_k = 10, Adam with
# the decay from official epoch 80; 50 % symmetric noise drawn per sample
# (the official noisify: the true class excluded). CE on the logits (the
# official softmax-as-logits bug is model.softmax_as_logits=True).
_base_ = ['../_base_/protocols/coteaching_cifar10.py']
model = dict(
    type='CoTeachingPlusClassifier',
    forget_rate=0.5,
    init_epoch=20,
    backbone=dict(type='LeNetSmall'),
    head=dict(in_channels=84))
train_dataloader = dict(
    dataset=dict(
        noise=dict(_delete_=True, type='symmetric', rate=0.5, exact=False)))
