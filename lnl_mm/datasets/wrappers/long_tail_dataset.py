# Copyright (c) lnl_mm contributors. All rights reserved.
"""``LongTailDataset``: an exponentially imbalanced subset of a dataset."""
from typing import Any, List, Optional, Union

import numpy as np
from mmpretrain.registry import DATASETS

from .utils import IndexWrapper, dataset_labels, dataset_num_classes


def long_tail_counts(n_max: int, num_classes: int,
                     imbalance_ratio: float) -> List[int]:
    """Per-class sizes ``n_c = int(n_max * rho ** (c / (C - 1)))``.

    Args:
        n_max (int): Size of class 0, the largest.
        num_classes (int): Number of classes C.
        imbalance_ratio (float): ``rho = n_min / n_max`` in (0, 1].

    Returns:
        list[int]: ``n_c`` for c = 0 .. C-1 (for rho = 0.1 and n_max = 5000:
        5000, 3871, 2997, 2320, 1796, 1391, 1077, 834, 645, 500).
    """
    if not 0.0 < imbalance_ratio <= 1.0:
        raise ValueError('imbalance_ratio must be in (0, 1], got '
                         f'imbalance_ratio={imbalance_ratio}')
    return [
        int(n_max * imbalance_ratio**(c / (num_classes - 1)))
        for c in range(num_classes)
    ]


@DATASETS.register_module()
class LongTailDataset(IndexWrapper):
    """Keep ``n_c = int(n_max * rho ** (c / (C - 1)))`` samples of class c.

    Wrap it *inside* :class:`NoisyLabelDataset` so that imbalance comes first
    and noise second (the Dynamic Loss protocol). The kept samples of each
    class are a seeded uniform subset.

    Args:
        dataset (dict | dataset): The balanced dataset.
        imbalance_ratio (float): ``rho`` in (0, 1].
        n_max (int, optional): Size of the largest class. Defaults to the
            size of class 0 of the wrapped dataset.
        seed (int): Seed of the subset. Defaults to 0.
        lazy_init (bool): Defer :meth:`full_init`. Defaults to False.
    """

    def __init__(self,
                 dataset: Union[dict, Any],
                 imbalance_ratio: float,
                 n_max: Optional[int] = None,
                 seed: int = 0,
                 lazy_init: bool = False):
        if not 0.0 < imbalance_ratio <= 1.0:
            raise ValueError('imbalance_ratio must be in (0, 1], got '
                             f'imbalance_ratio={imbalance_ratio}')
        self.imbalance_ratio = imbalance_ratio
        self.n_max = n_max
        self.seed = seed
        super().__init__(dataset, lazy_init=lazy_init)

    def _init_indices(self) -> None:
        labels = dataset_labels(self.dataset)
        num_classes = dataset_num_classes(self.dataset)
        available = np.bincount(labels, minlength=num_classes)
        n_max = self.n_max if self.n_max is not None else int(available[0])
        self.class_counts = long_tail_counts(n_max, num_classes,
                                             self.imbalance_ratio)
        rng = np.random.default_rng(self.seed)
        keep = []
        for c, n_c in enumerate(self.class_counts):
            if n_c > available[c]:
                raise ValueError(
                    f'LongTailDataset needs {n_c} samples of class {c} but '
                    f'the dataset has {available[c]}; lower n_max')
            members = np.flatnonzero(labels == c)
            keep.append(rng.choice(members, size=n_c, replace=False))
        self._indices = np.sort(np.concatenate(keep))
        self._labels = labels[self._indices]

    def get_gt_labels(self) -> np.ndarray:
        """Labels of the kept samples."""
        self.full_init()
        return self._labels.copy()

    def get_cat_ids(self, idx: int):
        """Category id of kept sample ``idx``."""
        self.full_init()
        return [int(self._labels[idx])]
