# CIFAR-100N, the 'noisy_label' human labels (UCSC-REAL/cifar-10-100n,
# data/cifar-n/CIFAR-100_human.pt).
# Apply to any leaf: python tools/train.py CONFIG --noise cifar100n_noisy
train_dataloader = dict(
    dataset=dict(
        noise=dict(
            type='from_file',
            path='data/cifar-n/CIFAR-100_human.pt',
            key='noisy_label')))
