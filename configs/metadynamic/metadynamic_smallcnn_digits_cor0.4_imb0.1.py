# Dynamic Loss on digits, imbalance 0.1 then 40 % prior-resampled noise.
_base_ = ['../_base_/protocols/dynamic_digits.py']
