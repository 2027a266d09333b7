# L2RW (clamped weights) on the Fashion-MNIST benchmark protocol, with the
# 1,000 clean meta images carved from the 20,000 training images
# (fashionmnist_bench_meta.py): uses clean data.
_base_ = ['../_base_/protocols/fashionmnist_bench_meta.py']
model = dict(type='L2RWClassifier', weighting='clamp')
