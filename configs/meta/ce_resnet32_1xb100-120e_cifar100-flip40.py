# Baseline: CE on the noisy 49,000 (meta set carved out, unused), MW-Net's
# "flip" noise: every class moves to one random other class with
# probability 0.4 (num_targets=2 gives "flip2").
_base_ = ['../_base_/protocols/meta_cifar100.py']
train_cfg = dict(
    _delete_=True, type='EpochBasedTrainLoop', max_epochs=120, val_interval=1)
train_dataloader = dict(
    dataset=dict(
        noise=dict(
            _delete_=True, type='random_flip', rate=0.4, num_targets=1)))
