# CE on CIFAR-100N "noisy_label" (fine labels), the CIFAR-N protocol.
_base_ = [
    '../_base_/models/resnet34_cifar_torch_init.py',
    '../_base_/datasets/cifar100_bs128.py',
    '../_base_/schedules/cifarn_sgd_100e.py', '../_base_/default_runtime.py'
]
model = dict(head=dict(num_classes=100))
train_dataloader = dict(
    dataset=dict(
        noise=dict(
            _delete_=True,
            type='from_file',
            path='data/cifar-n/CIFAR-100_human.pt',
            key='noisy_label')))
