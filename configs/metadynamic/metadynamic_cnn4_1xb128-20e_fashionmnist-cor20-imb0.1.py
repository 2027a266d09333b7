# Dynamic Loss on Fashion-MNIST: imbalance 0.1, then 20 % prior-resampled
# noise.
_base_ = ['./metadynamic_cnn4_1xb128-20e_fashionmnist-cor40-imb0.1.py']
train_dataloader = dict(dataset=dict(noise=dict(rate=0.2)))
