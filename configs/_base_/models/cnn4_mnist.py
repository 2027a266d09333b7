# "4-layer CNN" of APL / ALFs (MNIST), official weight initialisation.
# The head's bias starts at 0 here; the official code keeps PyTorch's default.
# The protocols that reproduce an official run (alfs_mnist, apl_mnist,
# alfs_cifar10) restore it with KeepBias; the project's own protocols (digits,
# Fashion-MNIST) keep 0, which their measured tables used.
model = dict(
    type='ImageClassifier',
    backbone=dict(type='CNN4Layer', in_channels=1, input_size=28),
    head=dict(
        type='LinearClsHead',
        num_classes=10,
        in_channels=128,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
        init_cfg=dict(type='Xavier', layer='Linear',
                      distribution='uniform'),
    ))
