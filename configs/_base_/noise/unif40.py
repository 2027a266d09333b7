# Uniform noise, 40 % (L2RW / MW-Net): the new label is uniform over all
# classes, so it can stay the same.
# Apply to any leaf: python tools/train.py CONFIG --noise unif40
train_dataloader = dict(
    dataset=dict(noise=dict(type='symmetric_inclusive', rate=0.4)))
