# Baseline: CE on the same noisy, imbalanced Fashion-MNIST.
_base_ = ['../_base_/protocols/noisy_longtail_fashionmnist.py']
