# Robust-loss protocol on CIFAR-100 as APL's configs/cifar100/*.yaml run it:
# CIFAR ResNet-50, crop + flip + RandomRotation(20), SGD m 0.9 lr 0.1 wd 1e-5,
# 200 epochs cosine to 0, gradient-norm clipping at 5 (the ALFs CIFAR-100
# protocol has the same data and schedule on a ResNet-34). For the
# `apl_code` presets; 40 % symmetric noise; the leaf config sets the loss.
_base_ = [
    '../models/resnet50_cifar_apl.py',
    '../datasets/cifar100_rot20_bs128.py',
    '../schedules/alfs_cifar100_200e.py',
    '../default_runtime.py'
]
