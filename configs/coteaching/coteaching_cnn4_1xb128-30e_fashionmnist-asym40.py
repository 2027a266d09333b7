# Co-teaching on the Fashion-MNIST benchmark protocol, 40 % asymmetric noise
# (MNIST class map). The map flips 5 of the 10 classes, so about 20 % of all
# labels are wrong: forget rate 0.2 (JoCoR's official rule for asymmetric
# noise, half the per-class rate).
_base_ = [
    '../_base_/protocols/two_network_fashionmnist.py',
    '../_base_/noise/asym40_mnist.py'
]
model = dict(type='CoTeachingClassifier', forget_rate=0.2)
