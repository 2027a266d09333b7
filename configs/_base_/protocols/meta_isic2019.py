# The ISIC 2019 protocol of the reweighting seed
# (Cute77/learning-to-reweight-examples, README): the 5,000 / 1,250 subset
# and a clean meta CSV from tools/dataset_converters/isic2019_split.py
# (--meta-size 125 --meta-balanced); noise injected at load like the seed's
# noisy_label.py (exactly int(5000 * rate) labels, uniform over the other
# classes; never the empty UNK class); ResNet-50, batch 32, SGD lr 1e-3
# decayed x0.1 every 50 epochs, 200 epochs; RandomRotation +-180,
# RandomResizedCrop scale (0.3, 1), horizontal flip.
_base_ = [
    '../models/resnet50.py', '../datasets/isic2019_bs32.py',
    '../default_runtime.py'
]
train_dataloader = dict(
    dataset=dict(noise=dict(type='symmetric_global', rate=0.4)))
meta_pipeline = [
    dict(type='LoadImageFromFile'),
    # RandomRotation(180): an angle uniform in [-180, 180] degrees.
    dict(type='Rotate', angle=None, magnitude_range=(0, 180),
         magnitude_std='inf', random_negative_prob=0.5, prob=1.0,
         interpolation='bilinear'),
    dict(type='RandomResizedCrop', scale=224, crop_ratio_range=(0.3, 1.0)),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackInputs'),
]
# "clean 5": the first 5 rows of the meta CSV, one fixed batch for the whole
# run (the seed's next(iter(val_loader))). The clean125 leaves use all rows.
meta_dataloader = dict(
    batch_size=5,
    num_workers=2,
    dataset=dict(
        type='ISIC2019',
        data_root='data/isic2019',
        ann_file='ISIC_2019_Training_GroundTruth_meta125.csv',
        indices=5,
        pipeline=meta_pipeline),
    sampler=dict(type='DefaultSampler', shuffle=False),
    collate_fn=dict(type='default_collate'))
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=1e-3, momentum=0.9, weight_decay=1e-4),
    clip_grad=dict(max_norm=0.25))  # the seed clips every meta method
param_scheduler = dict(type='StepLR', by_epoch=True, step_size=50, gamma=0.1)
train_cfg = dict(
    type='MetaEpochBasedTrainLoop',
    max_epochs=200,
    val_interval=1,
    meta_dataloader=meta_dataloader)
val_cfg = dict()
test_cfg = dict()
auto_scale_lr = dict(base_batch_size=32)
model_wrapper_cfg = dict(type='mmpretrain.MetaDistributedDataParallel')
custom_hooks = _base_.custom_hooks + [dict(type='MetaDiagnosticsHook')]
