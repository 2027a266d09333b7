# Reweighting (sigmoid weights) on the seed's own 40 % noisy file, its
# "clean 5" meta batch, its optimizer, pretrained ResNet-50 and test
# protocol (protocols/meta_isic2019_seed.py). The seed's README command:
# 4 GPUs x 32 (tools/dist_train.sh CONFIG 4). The 20 % file:
#   --cfg-options train_dataloader.dataset.dataset.ann_file=seed/ISIC_2019_\
#   Training_GroundTruth_markedgiven5000_train_0.2.csv
#   train_dataloader.dataset.noise.path=data/isic2019/seed/ISIC_2019_\
#   Training_GroundTruth_markedgiven5000_train_0.2.csv
_base_ = ['../_base_/protocols/meta_isic2019_seed.py']
model = dict(type='L2RWClassifier', weighting='sigmoid')
