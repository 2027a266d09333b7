# UPPER BOUND, not a method: the proposal with the clean label as the
# prediction term (reads clean labels; docs/design.md, decision 6).
_base_ = ['./proposal_cnn4_1xb128-20e_fashionmnist-sym40.py']
model = dict(oracle=True)
