# UPPER BOUND, not a method: the proposal whose prediction term is the clean
# label (reads clean labels; docs/design.md, decision 6).
_base_ = ['./proposal_resnet50_1xb32-200e_isic2019-sym40-clean5.py']
model = dict(oracle=True)
