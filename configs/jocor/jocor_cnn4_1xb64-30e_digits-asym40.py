# JoCoR on scikit-learn digits, 40 % asymmetric noise (MNIST class map):
# forget rate 0.2 (the official rule: half the noise rate), lambda 0.9.
_base_ = ['../_base_/protocols/two_network_digits.py']
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
