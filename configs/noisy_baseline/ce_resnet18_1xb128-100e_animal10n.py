# CE on Animal-10N (real noise; no clean training labels, so the dynamics
# hook reports given-label statistics only).
_base_ = [
    '../_base_/models/resnet_cifar.py',
    '../_base_/datasets/animal10n_bs128.py',
    '../_base_/schedules/cifarn_sgd_100e.py', '../_base_/default_runtime.py'
]
model = dict(backbone=dict(depth=18))
