# DivideMix on the Fashion-MNIST benchmark protocol, 80 % symmetric noise:
# lambda_u 25, p_threshold 0.5 (the official CIFAR-10 values at 80 %).
# Asymmetric noise: --noise asym40_mnist --cfg-options model.lambda_u=0
#   model.warmup_penalty=True  (the official asymmetric setting)
_base_ = ['../_base_/protocols/dividemix_fashionmnist.py']
