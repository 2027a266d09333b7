# Baseline: CE on the ISIC subset with 40 % injected noise (no meta set, no
# clipping), as the seed's baseline row.
_base_ = ['../_base_/protocols/meta_isic2019.py']
optim_wrapper = dict(clip_grad=None)
train_cfg = dict(
    _delete_=True, type='EpochBasedTrainLoop', max_epochs=200, val_interval=1)
