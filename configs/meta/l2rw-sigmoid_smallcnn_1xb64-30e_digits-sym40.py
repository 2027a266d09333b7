# L2RW with sigmoid weights (the ISIC reweighting seed's variant).
_base_ = ['./l2rw-clamp_smallcnn_1xb64-30e_digits-sym40.py']
model = dict(weighting='sigmoid')
