# Meta-learned label refurbishment (hard labels) on the Fashion-MNIST
# benchmark protocol, 2 epochs of plain training first (298 iterations, 149
# an epoch on the 19,000 noisy images); uses the 1,000 clean meta images.
_base_ = ['../_base_/protocols/fashionmnist_bench_meta.py']
model = dict(type='MetaRefurbishClassifier', target='hard', warmup_iters=298)
