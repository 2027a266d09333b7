# Dynamic Loss, CIFAR-10, imbalance 0.01 then 40 % prior-resampled noise.
_base_ = ['./metadynamic_resnet32_cifar10_cor0.4_imb0.1.py']
train_dataloader = dict(
    dataset=dict(dataset=dict(imbalance_ratio=0.01), noise=dict(rate=0.4)))
