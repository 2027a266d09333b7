# UPPER BOUND, not a method: the proposal with the clean label as the
# prediction term (reads clean labels; docs/design.md, decision 6).
_base_ = ['./proposal_smallcnn_1xb64-30e_digits-sym40.py']
model = dict(oracle=True)
