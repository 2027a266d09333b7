# "8-layer CNN" of APL / ALFs (CIFAR-10), official initialisation.
model = dict(
    type='ImageClassifier',
    backbone=dict(type='CNN8Layer', in_channels=3, input_size=32),
    head=dict(
        type='LinearClsHead',
        num_classes=10,
        in_channels=256,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
        init_cfg=dict(type='Xavier', layer='Linear',
                      distribution='uniform'),
    ))
