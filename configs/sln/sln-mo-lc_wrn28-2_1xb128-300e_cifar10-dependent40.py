# SLN-MO-LC: SLN-MO with label correction from epoch 250, sigma=0.5;
# dependent 40 % noise from the official SLN CSV: copy
# data/CIFAR10/label_noisy/dependent0.4.csv of chenpf1025/SLN to
# data/cifar10/label_noisy/.
_base_ = ['../_base_/protocols/sln_cifar10.py']
train_dataloader = dict(dataset=dict(noise=dict(
        _delete_=True,
        type='from_file',
        path='data/cifar10/label_noisy/dependent0.4.csv',
        column='label_noisy')))
model = dict(head=dict(loss=dict(type='SLNLoss', sigma=0.5)))
custom_hooks = _base_.custom_hooks + [
    dict(type='MomentumModelHook', decay=0.999),
    # The raw (non-EMA) model's clean-test summary.
    dict(type='AccuracySummaryHook', metric='raw/accuracy/top1',
         filename='summary_raw.json'),
    dict(
        type='SLNLabelCorrectionHook', correction_epoch=250, mode='hard'),
]
