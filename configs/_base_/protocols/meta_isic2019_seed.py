# The ISIC 2019 protocol exactly as the reweighting seed's scripts run it
# (Cute77/learning-to-reweight-examples), beside ours (meta_isic2019.py):
# * its own files, read as they are (copy them into data/isic2019/seed/):
#   the markedgiven noisy training files, sub1250_test and the hand-picked
#   clean set (ISIC2019 reads the header-less rows; the clean label comes
#   from the marks, the noisy one from the same file); 9 classes, as the
#   seed (its noise lands on UNK too);
# * SGD without momentum, weight decay 1e-4, lr 1e-3 halved every 50
#   epochs and multiplied by the number of GPUs (auto_scale_lr: the seed
#   runs 4 x 32);
# * an ImageNet-pretrained ResNet-50 from a torchvision weights file
#   (resnet50-19c8e357.pth, https://download.pytorch.org/models/, which the
#   seed's models.py names; put it in checkpoints/). The README says
#   ResNet-50; the scripts call resnet101 (model.backbone.depth=101 and
#   resnet101-5d3b4d8f.pth for that);
# * its test protocol on `tools/test.py`: the test images through the
#   random training augmentation, 16 passes (the seed accumulates about 16
#   passes per epoch); validation during training is our centre crop;
# * BatchNorm in eval mode after the first iteration of each epoch, the
#   seed's bug, is opt-in: custom_hooks += [dict(type='BNEvalQuirkHook')].
_base_ = ['./meta_isic2019.py']
seed_root = 'seed/'
model = dict(
    backbone=dict(
        init_cfg=dict(
            type='Pretrained',
            checkpoint='checkpoints/resnet50-19c8e357.pth')),
    head=dict(num_classes=9))
data_preprocessor = dict(num_classes=9)
_seed_train = seed_root + 'ISIC_2019_Training_GroundTruth_markedgiven5000_' \
    'train_0.4.csv'
train_dataloader = dict(
    dataset=dict(
        dataset=dict(ann_file=_seed_train, labels='clean', include_unk=True),
        noise=dict(
            _delete_=True,
            type='from_file',
            path='data/isic2019/' + _seed_train)))
val_dataloader = dict(
    dataset=dict(
        ann_file=seed_root + 'ISIC_2019_Training_GroundTruth_sub1250_test.csv',
        include_unk=True))
test_dataloader = dict(
    batch_size=32,
    num_workers=4,
    dataset=dict(
        _delete_=True,
        type='RepeatDataset',
        times=16,
        dataset=dict(
            type='ISIC2019',
            data_root='data/isic2019',
            ann_file=seed_root +
            'ISIC_2019_Training_GroundTruth_sub1250_test.csv',
            include_unk=True,
            pipeline=_base_.meta_pipeline)),
    sampler=dict(type='DefaultSampler', shuffle=False))
# the same clean meta batch on every GPU, as the seed (its val_loader is
# not distributed)
train_cfg = dict(
    meta_dataloader=dict(
        dataset=dict(
            ann_file=seed_root + 'ISIC_2019_Training_GroundTruth_clean.csv',
            include_unk=True),
        sampler=dict(type='ReplicatedSampler', shuffle=False)))
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=1e-3, momentum=0.0, weight_decay=1e-4))
param_scheduler = dict(type='StepLR', by_epoch=True, step_size=50, gamma=0.5)
auto_scale_lr = dict(enable=True, base_batch_size=32)
