# SLN: Gaussian noise on the target, sigma=0.5;
# the real noise of Animal-10N (about 8 %).
_base_ = ['../_base_/protocols/sln_animal10n.py']
model = dict(head=dict(loss=dict(type='SLNLoss', sigma=0.5)))
