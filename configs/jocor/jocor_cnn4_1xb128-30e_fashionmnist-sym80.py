# JoCoR on the Fashion-MNIST benchmark protocol, 80 % symmetric noise:
# forget rate = the noise rate, lambda = 0.65 (the official README's value
# at 80 % symmetric noise), one SGD over both networks (joint). Other noise:
# --noise asym40_mnist --cfg-options model.forget_rate=0.2
#   model.co_lambda=0.9  (asymmetric: half the noise rate, lambda 0.9)
_base_ = ['../_base_/protocols/two_network_fashionmnist.py']
model = dict(type='JoCoRClassifier', forget_rate=0.8, co_lambda=0.65)
optim_wrapper = dict(joint=True)
