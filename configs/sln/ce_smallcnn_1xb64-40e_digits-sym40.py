# plain cross-entropy (the baseline);
# 40 % symmetric noise (embedded data, runs anywhere).
_base_ = ['../_base_/protocols/sln_digits.py']
