# Dynamic Loss, CIFAR-100, imbalance 0.1 (n_c = int(500 * 0.1^(c/99))) then
# 40 % prior-resampled noise; otherwise the CIFAR-10 protocol (with its
# CIFAR-10 AutoAugment policy, as the official cor_cifar100.py). The
# official repository has no Dynamic Loss config for CIFAR-100: this one is
# lnl_mm's extension, with the official CIFAR-100 normalisation.
_base_ = ['./metadynamic_resnet32_cifar10_cor0.4_imb0.1.py']
cifar100 = dict(type='CIFAR100', data_root='data/cifar100')
data_preprocessor = dict(
    num_classes=100,
    mean=[129.304, 124.070, 112.434],
    std=[68.170, 65.392, 70.418])
model = dict(head=dict(num_classes=100))
train_dataloader = dict(
    dataset=dict(dataset=dict(n_max=500, dataset=cifar100)))
val_dataloader = dict(dataset=cifar100)
test_dataloader = val_dataloader
