# SLN protocol on CIFAR-100: as CIFAR-10 with 100 classes and the official
# CIFAR-100 normalisation.
_base_ = [
    '../models/wrn28_2_cifar.py', '../datasets/cifar100_bs128.py',
    '../schedules/sln_sgd_300e.py', '../default_runtime.py'
]
model = dict(head=dict(num_classes=100))
data_preprocessor = dict(
    num_classes=100,
    mean=[129.311, 124.109, 112.404],  # (0.5071, 0.4867, 0.4408) x 255
    std=[68.213, 65.408, 70.406],  # (0.2675, 0.2565, 0.2761) x 255
    to_rgb=False)
