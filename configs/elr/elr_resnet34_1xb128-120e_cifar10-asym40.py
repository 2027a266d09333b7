# ELR, the official CIFAR-10 asymmetric setting: shengliu66/ELR
# ELR/config_cifar10_asym.json (README: python train.py -c
# config_cifar10_asym.json --percent 0.4 --asym 1). As the symmetric leaf
# (network, batch 128, SGD 0.02 / 0.9 / 1e-3, the 45,000-image split)
# except: train_loss beta 0.9, lambda 1; lr_scheduler MultiStepLR
# milestones [40, 80], gamma 0.01; trainer.epochs 120. Noise as
# data_loader/cifar10.py asymmetric_noise(): classes in index order, each
# flipping 40 % of the samples that *currently* carry its label (truck ->
# automobile, bird -> airplane, cat -> dog, deer -> horse, dog -> cat, so
# dog re-selects among the cats flipped to it): class_map 'cifar10' with
# reselect=True, whose map order keeps cat before dog.
_base_ = ['./elr_resnet34_1xb128-150e_cifar10-sym40.py']
model = dict(beta=0.9, lambda_elr=1.0)
train_dataloader = dict(
    dataset=dict(
        noise=dict(
            _delete_=True,
            type='asymmetric',
            rate=0.4,
            class_map='cifar10',
            reselect=True)))
param_scheduler = dict(
    _delete_=True,
    type='MultiStepLR',
    by_epoch=True,
    milestones=[40, 80],
    gamma=0.01)
train_cfg = dict(max_epochs=120)
