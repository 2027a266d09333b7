# Pair-flip noise, 45 % (Co-teaching): class c flips to c + 1.
# Apply to any leaf: python tools/train.py CONFIG --noise pairflip45
train_dataloader = dict(dataset=dict(noise=dict(type='pairflip', rate=0.45)))
