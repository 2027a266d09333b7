# Meta-Weight-Net's CIFAR-100 protocol: as CIFAR-10 with 10 clean images per
# class (1,000) in the meta set.
_base_ = ['./meta_cifar10.py']
num_classes = 100
cifar = dict(
    type='CIFAR100', data_root='data/cifar100', split='train', download=False)
split = dict(type='MetaSplitDataset', num_per_class=10, seed=0)
data_preprocessor = dict(num_classes=num_classes)
model = dict(head=dict(num_classes=num_classes))
train_dataloader = dict(
    dataset=dict(dataset=dict(dataset=cifar, num_per_class=10)))
train_cfg = dict(
    meta_dataloader=dict(dataset=dict(dataset=cifar, num_per_class=10)))
val_dataloader = dict(
    dataset=dict(type='CIFAR100', data_root='data/cifar100'))
test_dataloader = val_dataloader
