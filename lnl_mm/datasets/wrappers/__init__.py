# Copyright (c) lnl_mm contributors. All rights reserved.
from .holdout_split_dataset import (HoldoutSplitDataset, stratified_folds,
                                    stratified_holdout)
from .long_tail_dataset import LongTailDataset, long_tail_counts
from .meta_split_dataset import MetaSplitDataset, class_balanced_split
from .noisy_label_dataset import NoisyLabelDataset
from .overlap import image_keys, shared_images
from .threshold_sample_dataset import (ThresholdSampleDataset,
                                       threshold_sample_indices)
from .utils import find_noisy_dataset, given_labels, info_image, sample_indices

__all__ = [
    'NoisyLabelDataset', 'LongTailDataset', 'MetaSplitDataset',
    'long_tail_counts', 'class_balanced_split', 'find_noisy_dataset',
    'given_labels', 'HoldoutSplitDataset', 'stratified_holdout',
    'stratified_folds', 'image_keys', 'shared_images', 'info_image',
    'sample_indices', 'ThresholdSampleDataset', 'threshold_sample_indices'
]
