# Dynamic Loss on digits: imbalance 0.1, then 20 % prior-resampled noise.
_base_ = ['./metadynamic_smallcnn_1xb64-30e_digits-cor40-imb0.1.py']
train_dataloader = dict(dataset=dict(noise=dict(rate=0.2)))
