# Co-teaching on scikit-learn digits, 40 % asymmetric noise (MNIST class map,
# per-sample draws; about 20 % of all labels): forget rate 0.2.
_base_ = ['../_base_/protocols/two_network_digits.py']
model = dict(type='CoTeachingClassifier', forget_rate=0.2)
train_dataloader = dict(
    dataset=dict(
        noise=dict(
            _delete_=True,
            type='asymmetric',
            rate=0.4,
            class_map='mnist',
            exact=False)))
