# Co-teaching on the Fashion-MNIST benchmark protocol, 80 % symmetric noise:
# forget rate = the noise rate (official default), T_k = 10 epochs, the
# official schedule; single mean (not the official 1/R^2, which matters
# under SGD). Other noise: --noise asym40_mnist
#   --cfg-options model.forget_rate=0.2  (the map flips half the
#   classes: about 20 % of all labels)
_base_ = ['../_base_/protocols/two_network_fashionmnist.py']
model = dict(type='CoTeachingClassifier', forget_rate=0.8)
