# Co-teaching+ on scikit-learn digits, 80 % symmetric noise (forget rate 0.8,
# init_epoch 0 as the official MNIST setting).
_base_ = ['../_base_/protocols/two_network_digits.py']
model = dict(type='CoTeachingPlusClassifier', forget_rate=0.8, init_epoch=0)
