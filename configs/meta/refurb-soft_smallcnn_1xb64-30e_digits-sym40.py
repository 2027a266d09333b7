# Meta-learned label refurbishment, stored soft labels.
_base_ = ['./refurb-hard_smallcnn_1xb64-30e_digits-sym40.py']
model = dict(target='soft')
