# Instance-dependent noise, 40 % (Xia et al. 2020): per-sample flip rates
# from the image features.
# Apply to any leaf: python tools/train.py CONFIG --noise instance40
train_dataloader = dict(dataset=dict(noise=dict(type='instance', rate=0.4)))
