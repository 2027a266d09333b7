# CIFAR-10N, the 'worse_label' human labels (UCSC-REAL/cifar-10-100n,
# data/cifar-n/CIFAR-10_human.pt).
# Apply to any leaf: python tools/train.py CONFIG --noise cifar10n_worst
train_dataloader = dict(
    dataset=dict(
        noise=dict(
            type='from_file',
            path='data/cifar-n/CIFAR-10_human.pt',
            key='worse_label')))
