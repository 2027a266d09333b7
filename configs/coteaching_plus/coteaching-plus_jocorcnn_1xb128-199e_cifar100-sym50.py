# Co-teaching+, the official CIFAR-100 setting (xingruiyu/coteaching_plus
# main.py): the 6-layer CNN (model.py CNN, = JoCoR's), init_epoch 5,
# forget rate = the noise rate, T_k = 10; the lr / beta1 decay starts at
# official epoch 80 as for every dataset in Co-teaching+ (not 100 as in
# Co-teaching); 50 % symmetric noise drawn per sample (the true class
# excluded). CE on the logits (the official softmax-as-logits bug is
# model.softmax_as_logits=True).
_base_ = ['../_base_/protocols/coteaching_cifar100.py']
model = dict(
    type='CoTeachingPlusClassifier',
    forget_rate=0.5,
    init_epoch=5,
    backbone=dict(type='JoCoRCNN'),
    head=dict(in_channels=256))
train_dataloader = dict(
    dataset=dict(
        noise=dict(_delete_=True, type='symmetric', rate=0.5, exact=False)))
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=1.0,
        end_factor=0.0,
        begin=79,
        end=200,
        by_epoch=True),
    dict(
        type='MultiStepMomentum',
        milestones=[79],
        gamma=0.1 / 0.9,
        by_epoch=True),
]
