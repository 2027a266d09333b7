# plain cross-entropy (the baseline);
# sym 40 % noise from the official SLN CSV: copy
# data/CIFAR100/label_noisy/sym0.4.csv of chenpf1025/SLN to
# data/cifar100/label_noisy/.
_base_ = ['../_base_/protocols/sln_cifar100.py']
train_dataloader = dict(dataset=dict(noise=dict(
        _delete_=True,
        type='from_file',
        path='data/cifar100/label_noisy/sym0.4.csv',
        column='label_noisy')))
