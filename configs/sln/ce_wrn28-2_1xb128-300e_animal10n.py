# plain cross-entropy (the baseline);
# the real noise of Animal-10N (about 8 %).
_base_ = ['../_base_/protocols/sln_animal10n.py']
