# CE on the Fashion-MNIST benchmark protocol (20,000 training images, 30
# epochs, no augmentation), 80 % symmetric noise: the reference of the
# two-network methods. Other noise: --noise asym40_mnist.
_base_ = ['../_base_/protocols/fashionmnist_bench.py']
