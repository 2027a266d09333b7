# DivideMix on the Fashion-MNIST benchmark protocol, 40 % asymmetric noise
# (MNIST class map): the official asymmetric setting, lambda_u 0 and the
# confidence penalty in the warm-up.
_base_ = [
    '../_base_/protocols/dividemix_fashionmnist.py',
    '../_base_/noise/asym40_mnist.py'
]
model = dict(lambda_u=0.0, warmup_penalty=True)
