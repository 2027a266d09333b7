# The seed's upper bound (upperbound_distributed.py), an oracle: every step
# sigmoid reweighting on the "clean 5" batch, and the labels of the samples
# marked noisy replaced by the predictions of the clean baseline (train
# ce_resnet50-in1k_4xb32-200e_isic2019-seed-clean.py first). The seed's clean
# network predicts in train mode: model.clean_bn_mode=train; soft targets:
# model.target=soft.
_base_ = ['../_base_/protocols/meta_isic2019_seed.py']
model = dict(
    type='L2RWUpperBoundClassifier',
    clean_checkpoint='work_dirs/ce_resnet50-in1k_4xb32-200e_isic2019-'
    'seed-clean/last_checkpoint')
