# SOP on CIFAR-10, 40 % asymmetric noise; no official CIFAR-10 command (see
# the sym50 leaf): the README's asymmetric values, lr_u 0.1, lr_v 100, on
# the sym50 leaf's settings. Noise as data_loader/cifar10.py
# asymmetric_noise(): classes in index order, each flipping 40 % of the
# samples that currently carry its label (truck -> automobile, bird ->
# airplane, cat -> dog, deer -> horse, dog -> cat: dog re-selects among the
# cats flipped to it): class_map 'cifar10', reselect=True.
_base_ = ['./sop_preactresnet18_1xb128-300e_cifar10-sym50.py']
optim_wrapper = dict(sop=dict(lr_u=0.1, lr_v=100))
train_dataloader = dict(
    dataset=dict(
        noise=dict(
            _delete_=True,
            type='asymmetric',
            rate=0.4,
            class_map='cifar10',
            reselect=True)))
