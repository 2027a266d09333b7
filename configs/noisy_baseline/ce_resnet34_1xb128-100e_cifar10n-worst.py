# CE on CIFAR-10N "worst" human labels, the CIFAR-N baseline protocol
# (ResNet-34, 100 epochs, best and last test accuracy both reported). Put
# CIFAR-10_human.pt from UCSC-REAL/cifar-10-100n into data/cifar-n/. Other
# label sets: --cfg-options train_dataloader.dataset.noise.key=aggre_label
_base_ = [
    '../_base_/models/resnet34_cifar_torch_init.py',
    '../_base_/datasets/cifar10_bs128.py',
    '../_base_/schedules/cifarn_sgd_100e.py', '../_base_/default_runtime.py'
]
train_dataloader = dict(
    dataset=dict(
        noise=dict(
            _delete_=True,
            type='from_file',
            path='data/cifar-n/CIFAR-10_human.pt',
            key='worse_label')))
