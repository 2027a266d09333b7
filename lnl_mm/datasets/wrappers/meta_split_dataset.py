# Copyright (c) lnl_mm contributors. All rights reserved.
"""``MetaSplitDataset``: a clean, class-balanced meta split and its rest."""
from typing import Any, Tuple, Union

import numpy as np
from mmpretrain.registry import DATASETS

from .utils import IndexWrapper, dataset_labels, dataset_num_classes

SPLITS = ('meta', 'train')


def class_balanced_split(labels: np.ndarray, num_classes: int,
                         num_per_class: int,
                         seed: int) -> Tuple[np.ndarray, np.ndarray]:
    """Pick ``num_per_class`` samples of every class, uniformly and seeded.

    Returns:
        tuple[np.ndarray, np.ndarray]: Sorted meta indices and the sorted
        remaining indices; disjoint and together all of ``range(N)``.
    """
    rng = np.random.default_rng(seed)
    meta = []
    for c in range(num_classes):
        members = np.flatnonzero(labels == c)
        if members.size < num_per_class:
            raise ValueError(
                f'num_per_class={num_per_class} but class {c} has only '
                f'{members.size} samples')
        meta.append(rng.choice(members, size=num_per_class, replace=False))
    meta = np.sort(np.concatenate(meta))
    rest = np.setdiff1d(np.arange(labels.size), meta)
    return meta, rest


@DATASETS.register_module()
class MetaSplitDataset(IndexWrapper):
    """One side of a seeded, class-balanced meta / train split.

    Build it twice from the same config and seed, once with
    ``split='meta'`` (``num_per_class`` clean samples per class, for
    meta-learning) and once with ``split='train'`` (everything else), then
    wrap the train side in :class:`NoisyLabelDataset`: the meta set is carved
    out *before* corruption and never overlaps training.

    Args:
        dataset (dict | dataset): The clean dataset.
        num_per_class (int): Meta samples per class (k).
        split (str): ``'meta'`` or ``'train'``.
        seed (int): Seed of the split. Defaults to 0.
        lazy_init (bool): Defer :meth:`full_init`. Defaults to False.
    """

    def __init__(self,
                 dataset: Union[dict, Any],
                 num_per_class: int,
                 split: str,
                 seed: int = 0,
                 lazy_init: bool = False):
        if split not in SPLITS:
            raise ValueError(f'split must be one of {SPLITS}, got '
                             f'split={split!r}')
        if not isinstance(num_per_class, int) or num_per_class < 1:
            raise ValueError('num_per_class must be a positive int, got '
                             f'num_per_class={num_per_class!r}')
        self.num_per_class = num_per_class
        self.split = split
        self.seed = seed
        super().__init__(dataset, lazy_init=lazy_init)

    def _init_indices(self) -> None:
        labels = dataset_labels(self.dataset)
        meta, rest = class_balanced_split(labels,
                                          dataset_num_classes(self.dataset),
                                          self.num_per_class, self.seed)
        self._indices = meta if self.split == 'meta' else rest
        self._labels = labels[self._indices]

    def get_gt_labels(self) -> np.ndarray:
        """Labels of this split."""
        self.full_init()
        return self._labels.copy()

    def get_cat_ids(self, idx: int):
        """Category id of sample ``idx`` of this split."""
        self.full_init()
        return [int(self._labels[idx])]
