# Symmetric noise, 40 %: a flipped label is uniform over the other classes.
# Apply to any leaf: python tools/train.py CONFIG --noise sym40
train_dataloader = dict(dataset=dict(noise=dict(type='symmetric', rate=0.40)))
