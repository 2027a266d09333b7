# JoCoR on the Fashion-MNIST benchmark protocol, 40 % asymmetric noise (MNIST
# class map): forget rate 0.2 (the official rule for asymmetric noise: half
# the noise rate), lambda 0.9 (the official README's asymmetric value).
_base_ = [
    '../_base_/protocols/two_network_fashionmnist.py',
    '../_base_/noise/asym40_mnist.py'
]
model = dict(type='JoCoRClassifier', forget_rate=0.2, co_lambda=0.9)
optim_wrapper = dict(joint=True)
