# Dynamic Loss on Fashion-MNIST: imbalance 0.1, then 20 % prior-resampled
# noise.
_base_ = ['./metadynamic_cnn4_fashionmnist_cor0.4_imb0.1.py']
train_dataloader = dict(dataset=dict(noise=dict(rate=0.2)))
