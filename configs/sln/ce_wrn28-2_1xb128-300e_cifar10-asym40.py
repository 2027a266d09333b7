# plain cross-entropy (the baseline);
# asym 40 % noise from the official SLN CSV: copy
# data/CIFAR10/label_noisy/asym0.4.csv of chenpf1025/SLN to
# data/cifar10/label_noisy/.
_base_ = ['../_base_/protocols/sln_cifar10.py']
train_dataloader = dict(dataset=dict(noise=dict(
        _delete_=True,
        type='from_file',
        path='data/cifar10/label_noisy/asym0.4.csv',
        column='label_noisy')))
