# DivideMix on scikit-learn digits, 80 % symmetric noise (lambda_u 25,
# p_threshold 0.5). Asymmetric noise: the asym40 leaf beside it.
_base_ = ['../_base_/protocols/dividemix_digits.py']
