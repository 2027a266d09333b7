# Asymmetric noise, 40 %, CIFAR-10 class map, the ALFs / APL procedure: each
# source class flips int(0.4 n) of its *current* labels in the order truck,
# bird, cat, dog, deer, so dog re-selects among the cats already flipped to
# it. Realised: cat about 24 %, overall 0.184 (the noise manifest shows it).
# Apply to any leaf:
#   python tools/train.py CONFIG --noise asym40_cifar10_reselect
train_dataloader = dict(
    dataset=dict(
        noise=dict(
            type='asymmetric', rate=0.4, class_map='cifar10',
            reselect=True)))
