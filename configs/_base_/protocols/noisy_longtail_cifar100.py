# Dynamic Loss's noisy and imbalanced CIFAR-100: as CIFAR-10 with
# n_c = int(500 * rho^(c/99)).
_base_ = ['./noisy_longtail_cifar10.py']
num_classes = 100
cifar = dict(
    type='CIFAR100', data_root='data/cifar100', split='train', download=False)
data_preprocessor = dict(num_classes=num_classes)
model = dict(head=dict(num_classes=num_classes))
train_dataloader = dict(
    dataset=dict(dataset=dict(n_max=500, dataset=cifar)))
val_dataloader = dict(
    dataset=dict(type='CIFAR100', data_root='data/cifar100'))
test_dataloader = val_dataloader
