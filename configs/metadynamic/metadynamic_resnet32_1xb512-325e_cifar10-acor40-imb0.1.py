# Dynamic Loss, CIFAR-10, imbalance 0.1 then 40 % asymmetric noise (the
# official map 2->0, 4->7, 9->1, 3->5, 5->3).
_base_ = ['./metadynamic_resnet32_cifar10_cor0.4_imb0.1.py']
train_dataloader = dict(
    dataset=dict(
        noise=dict(
            _delete_=True, type='asymmetric', rate=0.4,
            class_map='cifar10')))
