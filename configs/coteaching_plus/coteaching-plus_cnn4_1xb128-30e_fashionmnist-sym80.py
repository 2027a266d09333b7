# Co-teaching+ on the Fashion-MNIST benchmark protocol, 80 % symmetric
# noise: forget rate = the noise rate, init_epoch 0 (the official MNIST
# value: disagreement from the first epoch), CE on the logits (not the
# official softmax-as-logits bug). Other noise: --noise asym40_mnist
#   --cfg-options model.forget_rate=0.2  (the map flips half the
#   classes: about 20 % of all labels)
_base_ = ['../_base_/protocols/two_network_fashionmnist.py']
model = dict(type='CoTeachingPlusClassifier', forget_rate=0.8, init_epoch=0)
