# SmallCNN for 1-channel images (digits 8x8, (Fashion-)MNIST 28x28).
model = dict(
    type='ImageClassifier',
    backbone=dict(type='SmallCNN', in_channels=1, channels=(32, 64)),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=10,
        in_channels=64,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
    ))
