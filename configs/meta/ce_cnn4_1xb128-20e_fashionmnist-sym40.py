# Baseline: plain CE on the same noisy training split (the meta set carved
# out, unused), so that it compares with the meta methods.
_base_ = ['../_base_/protocols/meta_fashionmnist.py']
train_cfg = dict(
    _delete_=True, type='EpochBasedTrainLoop', max_epochs=20, val_interval=1)
