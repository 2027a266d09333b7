# SLN-MO: SLN with the momentum (EMA) model, sigma=1.0;
# 40 % symmetric noise. Asymmetric: --cfg-options
#   train_dataloader.dataset.noise.type=asymmetric
#   train_dataloader.dataset.noise.class_map=mnist model.head.loss.sigma=0.5
_base_ = ['../_base_/protocols/sln_fashionmnist.py']
model = dict(head=dict(loss=dict(type='SLNLoss', sigma=1.0)))
custom_hooks = _base_.custom_hooks + [
    dict(type='MomentumModelHook', decay=0.999),
    # The raw (non-EMA) model's clean-test summary.
    dict(type='AccuracySummaryHook', metric='raw/accuracy/top1',
         filename='summary_raw.json'),
]
