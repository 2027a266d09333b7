# Meta-learned label refurbishment with stored soft labels; uses the 1,000
# clean meta images.
_base_ = ['./refurb-hard_cnn4_1xb128-30e_fashionmnist.py']
model = dict(target='soft')
