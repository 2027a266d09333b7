# L2RW with sigmoid weights (the ISIC reweighting seed's variant).
_base_ = ['./l2rw-clamp_cnn4_1xb128-20e_fashionmnist-sym40.py']
model = dict(weighting='sigmoid')
