# SLN on the Fashion-MNIST benchmark protocol: Gaussian noise of sigma 1.0
# added to the one-hot labels every step (the official symmetric-noise
# value); the protocol's optimizer and cosine schedule (the official code
# trains at a constant lr, configs/sln).
_base_ = ['../_base_/protocols/fashionmnist_bench.py']
model = dict(head=dict(loss=dict(_delete_=True, type='SLNLoss', sigma=1.0)))
