# ELR on the Fashion-MNIST benchmark protocol, 80 % symmetric noise: the
# protocol's network, optimizer, schedule and budget; the official CIFAR-10
# symmetric setting beta 0.7, lambda 3 (shengliu66/ELR config_cifar10.json;
# the paper has no MNIST setting). SampleStoreHook sizes the per-sample
# targets before a resume loads them.
_base_ = ['../_base_/protocols/fashionmnist_bench.py']
model = dict(type='ELRClassifier', beta=0.7, lambda_elr=3.0)
custom_hooks = _base_.custom_hooks + [dict(type='SampleStoreHook')]
