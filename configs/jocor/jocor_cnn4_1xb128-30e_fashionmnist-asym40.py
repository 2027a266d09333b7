# JoCoR on the Fashion-MNIST benchmark protocol, 40 % asymmetric noise (MNIST
# class map): forget rate 0.2 (the official rule for asymmetric noise: half
# the noise rate), lambda 0.9 (the official README's asymmetric value).
_base_ = ['../_base_/protocols/two_network_fashionmnist.py']
model = dict(type='JoCoRClassifier', forget_rate=0.2, co_lambda=0.9)
optim_wrapper = dict(joint=True)
train_dataloader = dict(
    dataset=dict(
        noise=dict(
            _delete_=True,
            type='asymmetric',
            rate=0.4,
            class_map='mnist',
            exact=False)))
