# SLN: Gaussian noise on the target, sigma=1.0;
# 40 % symmetric noise (embedded data, runs anywhere).
_base_ = ['../_base_/protocols/sln_digits.py']
model = dict(head=dict(loss=dict(type='SLNLoss', sigma=1.0)))
