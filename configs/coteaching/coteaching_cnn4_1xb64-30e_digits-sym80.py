# Co-teaching on scikit-learn digits, 80 % symmetric noise (forget rate 0.8,
# T_k = 10, the official schedule).
_base_ = ['../_base_/protocols/two_network_digits.py']
model = dict(type='CoTeachingClassifier', forget_rate=0.8)
