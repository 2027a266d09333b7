# AUM with threshold samples (Pleiss et al., NeurIPS 2020) on scikit-learn
# digits with 40 % symmetric noise: the CE leaf, with N // (C + 1) = 122
# training images relabelled to an extra class 10 (ThresholdSampleDataset)
# and an 11-way head. Run it twice, threshold_set 0 and 1 (disjoint sets of
# one seed), then judge with both:
#   python tools/train.py CONFIG --work-dir work_dirs/thr0
#   python tools/train.py CONFIG --work-dir work_dirs/thr1 \
#       --cfg-options train_dataloader.dataset.threshold_set=1
#   python tools/analysis_tools/find_label_issues.py work_dirs/thr0 \
#       work_dirs/thr1 --method aum
_base_ = ['../noisy_baseline/ce_smallcnn_1xb64-30e_digits-sym40.py']
model = dict(head=dict(num_classes=11))
data_preprocessor = dict(num_classes=11)
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='ThresholdSampleDataset',
        dataset=_base_.train_dataloader.dataset,
        threshold_set=0,
        seed=0))
