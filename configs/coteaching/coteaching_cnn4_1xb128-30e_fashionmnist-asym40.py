# Co-teaching on the Fashion-MNIST benchmark protocol, 40 % asymmetric noise
# (MNIST class map). The map flips 5 of the 10 classes, so about 20 % of all
# labels are wrong: forget rate 0.2 (JoCoR's official rule for asymmetric
# noise, half the per-class rate).
_base_ = ['../_base_/protocols/two_network_fashionmnist.py']
model = dict(type='CoTeachingClassifier', forget_rate=0.2)
train_dataloader = dict(
    dataset=dict(
        noise=dict(
            _delete_=True,
            type='asymmetric',
            rate=0.4,
            class_map='mnist',
            exact=False)))
