# ELR+, the official CIFAR-10 asymmetric command: shengliu66/ELR ELR_plus
# README, python train.py -c config_cifar10_asym.json --percent 0.4: the
# sym80 leaf's training with beta 0.9, lambda 1, and the ELR leaf's
# asymmetric noise (truck -> automobile, bird -> airplane, deer -> horse,
# cat <-> dog, int(r n) of each source class).
_base_ = ['./elr-plus_preactresnet18_1xb128-200e_cifar10-sym80.py']
model = dict(beta=0.9, lambda_elr=1.0)
train_dataloader = dict(
    dataset=dict(
        noise=dict(
            _delete_=True,
            type='asymmetric',
            rate=0.4,
            class_map='cifar10',
            reselect=True)))
