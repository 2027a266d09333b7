# SOP+ on CIFAR-100, 40 % asymmetric noise: the README command "python
# train.py -c config_cifar100.json --lr_u 0.1 --lr_v 100 --percent 0.4
# --name CIFAR100 --asym True" as it stands (config_cifar100.json is SOP+:
# ratio_consistency 0.9, ratio_balance 0.1, the autoaug_cifar10 + cutout 16
# second view). The noise, lr_u and lr_v of the SOP asym40 leaf; the SOP+
# terms and views as the sop-plus sym50 leaf.
_base_ = ['./sop_preactresnet18_1xb128-300e_cifar100-asym40.py']
model = dict(ratio_consistency=0.9, ratio_balance=0.1)
train_dataloader = dict(
    dataset=dict(dataset=dict(pipeline=_base_._sop_plus_pipeline)))
