# The official CIFAR-100 protocol of Co-teaching and JoCoR: that of
# coteaching_cifar10.py with the lr / beta1 decay from official epoch 100
# (our 0-based 99): lr * (200 - e) / 100. Co-teaching+ keeps 80 for every
# dataset (its leaf restores it).
_base_ = ['./coteaching_cifar10.py']
dataset_type = 'CIFAR100'
data_root = 'data/cifar100'
data_preprocessor = dict(num_classes=100)
train_dataloader = dict(
    dataset=dict(dataset=dict(type=dataset_type, data_root=data_root)))
val_dataloader = dict(dataset=dict(type=dataset_type, data_root=data_root))
test_dataloader = val_dataloader
model = dict(head=dict(num_classes=100))
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=1.0,
        end_factor=0.0,
        begin=99,
        end=200,
        by_epoch=True),
    dict(
        type='MultiStepMomentum',
        milestones=[99],
        gamma=0.1 / 0.9,
        by_epoch=True),
]
