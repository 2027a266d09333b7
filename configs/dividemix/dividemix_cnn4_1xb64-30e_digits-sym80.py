# DivideMix on scikit-learn digits, 80 % symmetric noise (lambda_u 25,
# p_threshold 0.5). Asymmetric: --noise asym40_mnist
#   --cfg-options model.lambda_u=0 model.warmup_penalty=True
_base_ = ['../_base_/protocols/dividemix_digits.py']
