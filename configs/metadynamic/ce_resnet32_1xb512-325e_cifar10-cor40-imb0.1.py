# Baseline: CE on the same noisy, imbalanced CIFAR-10 (strong view only).
_base_ = ['../_base_/protocols/noisy_longtail_cifar10.py']
