# Asymmetric noise, 40 %, the CIFAR-10 class map (truck->automobile,
# bird->airplane, deer->horse, cat<->dog).
# Apply to any leaf: python tools/train.py CONFIG --noise asym40_cifar10
train_dataloader = dict(
    dataset=dict(noise=dict(type='asymmetric', rate=0.4, class_map='cifar10')))
