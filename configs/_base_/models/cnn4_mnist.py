# "4-layer CNN" of APL / ALFs (MNIST), official initialisation.
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
