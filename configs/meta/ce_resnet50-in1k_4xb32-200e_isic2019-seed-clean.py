# The seed's "Baseline-clean" (baseline_distributed.py, mode='base'): CE on
# its 5,000-image subset with the clean labels (seed/ISIC_2019_Training_
# GroundTruth_sub5000_train.csv, from its configs/ folder), its optimizer,
# pretrained ResNet-50 and test protocol. Its checkpoint is the clean network
# of the upper bound (l2rw-upperbound_..._isic2019-seed-sym40-clean5.py).
_base_ = ['./ce_resnet50-in1k_4xb32-200e_isic2019-seed-sym40.py']
train_dataloader = dict(
    dataset=dict(
        dataset=dict(
            ann_file='seed/ISIC_2019_Training_GroundTruth_sub5000_train.csv',
            labels='file'),
        noise=dict(_delete_=True, type='symmetric_global', rate=0.0)))
