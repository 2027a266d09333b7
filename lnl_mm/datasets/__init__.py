# Copyright (c) lnl_mm contributors. All rights reserved.
from .animal10n import Animal10N
from .denoising import ImageFolderDenoising, SkimagePhotos
from .digits import SklearnDigits
from .idx_mnist import IDXMNIST, IDXFashionMNIST, read_idx
from .isic2019 import ISIC2019, split_isic_subset
from .samplers import ExcludeSampler
from .transforms import PackNoisyInputs, StoreWeakView
from .wrappers import (LongTailDataset, MetaSplitDataset, NoisyLabelDataset,
                       ThresholdSampleDataset, class_balanced_split,
                       find_noisy_dataset, long_tail_counts)

__all__ = [
    'SklearnDigits', 'IDXMNIST', 'IDXFashionMNIST', 'Animal10N', 'ISIC2019',
    'NoisyLabelDataset', 'LongTailDataset', 'MetaSplitDataset',
    'PackNoisyInputs', 'read_idx', 'split_isic_subset', 'long_tail_counts',
    'class_balanced_split', 'find_noisy_dataset', 'ImageFolderDenoising',
    'SkimagePhotos', 'ExcludeSampler', 'StoreWeakView',
    'ThresholdSampleDataset'
]
