# Copyright (c) lnl_mm contributors. All rights reserved.
"""scikit-learn's handwritten digits: the embedded default, no download."""
from typing import List

import numpy as np
from mmpretrain.datasets import BaseDataset
from mmpretrain.registry import DATASETS

SPLITS = ('train', 'test')


@DATASETS.register_module()
class SklearnDigits(BaseDataset):
    """The 1,797 8×8 handwritten digits shipped inside scikit-learn.

    Pixel values 0..16 are rescaled to uint8 0..255 (``round(v * 255 / 16)``)
    and stored as (8, 8) grey images. The train / test split is stratified
    and fixed by ``split_seed``; with the defaults it is 1,347 / 450.

    Args:
        split (str): ``'train'`` or ``'test'``. Defaults to ``'train'``.
        test_ratio (float): Fraction of each class held out for testing.
            Defaults to 0.25.
        split_seed (int): Seed of the split. Defaults to 0.
        **kwargs: Other arguments of :class:`mmpretrain.datasets.BaseDataset`.
    """

    METAINFO = {'classes': tuple(str(i) for i in range(10))}

    def __init__(self,
                 split: str = 'train',
                 test_ratio: float = 0.25,
                 split_seed: int = 0,
                 **kwargs):
        if split not in SPLITS:
            raise ValueError(f'split must be one of {SPLITS}, got '
                             f'split={split!r}')
        if not 0.0 < test_ratio < 1.0:
            raise ValueError(f'test_ratio must be in (0, 1), got {test_ratio}')
        self.split = split
        self.test_ratio = test_ratio
        self.split_seed = split_seed
        kwargs.setdefault('test_mode', split == 'test')
        super().__init__(ann_file='', **kwargs)

    def load_data_list(self) -> List[dict]:
        """Load the images of this split as uint8 arrays."""
        from sklearn.datasets import load_digits
        from sklearn.model_selection import train_test_split
        digits = load_digits()
        images = np.rint(digits.images * (255.0 / 16.0)).astype(np.uint8)
        idx = np.arange(len(images))
        train_idx, test_idx = train_test_split(
            idx,
            test_size=self.test_ratio,
            stratify=digits.target,
            random_state=self.split_seed)
        keep = np.sort(train_idx if self.split == 'train' else test_idx)
        return [
            dict(img=images[i], gt_label=int(digits.target[i])) for i in keep
        ]

    def extra_repr(self) -> List[str]:
        """Extra lines of ``repr``."""
        return [
            f'Split: \t{self.split} (test_ratio={self.test_ratio}, '
            f'split_seed={self.split_seed})'
        ]
