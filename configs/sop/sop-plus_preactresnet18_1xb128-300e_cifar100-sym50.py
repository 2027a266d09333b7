# SOP+ on CIFAR-100, 50 % symmetric noise: the README command "python
# train.py -c config_cifar100.json --lr_u 1 --lr_v 10 --percent 0.5" as it
# stands: config_cifar100.json's train_loss ratio_consistency 0.9,
# ratio_balance 0.1 and data_augmentation autoaug_cifar10 + cutout 16. The
# second view (transform_train_aug of data_loader/data_loaders.py; the
# _sop_plus_pipeline of the SOP leaf) goes through the network in one batch
# with the first (trainer/trainer.py: torch.cat([data, data2])). Everything
# else as the SOP leaf.
_base_ = ['./sop_preactresnet18_1xb128-300e_cifar100-sym50.py']
model = dict(ratio_consistency=0.9, ratio_balance=0.1)
train_dataloader = dict(
    dataset=dict(dataset=dict(pipeline=_base_._sop_plus_pipeline)))
