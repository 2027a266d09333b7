# Meta-learned label refurbishment, stored soft labels.
_base_ = ['./refurb-hard_cnn4_1xb128-20e_fashionmnist-sym40.py']
model = dict(target='soft')
