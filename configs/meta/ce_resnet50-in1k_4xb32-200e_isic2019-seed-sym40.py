# Baseline CE on the seed's own 40 % noisy file with its optimizer,
# pretrained ResNet-50 and test protocol (protocols/meta_isic2019_seed.py;
# no meta set, no clipping). The 20 % file: see the L2RW seed leaf.
_base_ = ['../_base_/protocols/meta_isic2019_seed.py']
optim_wrapper = dict(clip_grad=None)
train_cfg = dict(
    _delete_=True, type='EpochBasedTrainLoop', max_epochs=200, val_interval=1)
