# Flip noise, 40 % (L2RW / MW-Net): each class flips to one random other class.
# Apply to any leaf: python tools/train.py CONFIG --noise flip40
train_dataloader = dict(
    dataset=dict(noise=dict(type='random_flip', rate=0.4, num_targets=1)))
