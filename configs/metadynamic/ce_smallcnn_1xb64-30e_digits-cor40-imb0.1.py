# Baseline: CE on the same noisy, imbalanced digits.
_base_ = ['../_base_/protocols/noisy_longtail_digits.py']
