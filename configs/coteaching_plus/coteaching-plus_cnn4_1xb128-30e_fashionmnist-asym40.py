# Co-teaching+ on the Fashion-MNIST benchmark protocol, 40 % asymmetric noise
# (MNIST class map, about 20 % of all labels): forget rate 0.2, init_epoch 0.
_base_ = [
    '../_base_/protocols/two_network_fashionmnist.py',
    '../_base_/noise/asym40_mnist.py'
]
model = dict(type='CoTeachingPlusClassifier', forget_rate=0.2, init_epoch=0)
