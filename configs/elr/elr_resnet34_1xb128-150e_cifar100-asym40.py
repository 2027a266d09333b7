# ELR, the official CIFAR-100 asymmetric command of shengliu66/ELR's README:
# python train.py -c config_cifar100.json --percent 0.4 --asym 1 (so the
# sym40 leaf's network, optimizer, schedule, beta 0.9 and lambda 7).
# data_loader/cifar100.py asymmetric_noise(): blocks of five consecutive
# classes, i -> i + 1 inside a block (the last to the first), each label
# drawn from that transition matrix (multiclass_noisify, per sample):
# class_map 'cifar100_block5', exact=False.
_base_ = ['./elr_resnet34_1xb128-150e_cifar100-sym40.py']
train_dataloader = dict(
    dataset=dict(
        noise=dict(
            _delete_=True,
            type='asymmetric',
            rate=0.4,
            class_map='cifar100_block5',
            exact=False)))
