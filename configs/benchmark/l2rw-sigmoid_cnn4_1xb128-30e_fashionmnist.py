# L2RW with sigmoid weights (the official option); uses clean data.
_base_ = ['./l2rw-clamp_cnn4_1xb128-30e_fashionmnist.py']
model = dict(weighting='sigmoid')
