# Baseline: CE on the noisy 49,000 (meta set carved out, unused).
_base_ = ['../_base_/protocols/meta_cifar100.py']
train_cfg = dict(
    _delete_=True, type='EpochBasedTrainLoop', max_epochs=120, val_interval=1)
