# JoCoR on scikit-learn digits, 80 % symmetric noise (forget rate 0.8,
# lambda 0.65 as the official README at 80 %), one optimizer over both.
_base_ = ['../_base_/protocols/two_network_digits.py']
model = dict(type='JoCoRClassifier', forget_rate=0.8, co_lambda=0.65)
optim_wrapper = dict(joint=True)
