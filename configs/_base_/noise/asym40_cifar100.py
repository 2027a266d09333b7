# Asymmetric noise, 40 %, CIFAR-100 blocks of five classes, drawn per sample
# as ALFs / APL do (each label flips with probability 0.4).
# Apply to any leaf: python tools/train.py CONFIG --noise asym40_cifar100
train_dataloader = dict(
    dataset=dict(
        noise=dict(
            type='asymmetric',
            rate=0.4,
            class_map='cifar100_block5',
            exact=False)))
