# Copyright (c) lnl_mm contributors. All rights reserved.
"""``HoldoutSplitDataset``: a held-out split of the *noisy* training data."""
from typing import Any, Optional, Tuple, Union

import numpy as np
from mmpretrain.registry import DATASETS

from .utils import IndexWrapper, dataset_labels, sample_indices

SPLITS = ('train', 'holdout')


def stratified_holdout(labels: np.ndarray, ratio: float,
                       seed: int) -> Tuple[np.ndarray, np.ndarray]:
    """Hold out ``round(ratio * n_c)`` samples of every label value ``c``.

    Returns:
        tuple[np.ndarray, np.ndarray]: Sorted train and holdout indices,
        disjoint and together all of ``range(N)``.
    """
    rng = np.random.default_rng(seed)
    held = []
    for c in np.unique(labels):
        members = np.flatnonzero(labels == c)
        k = int(round(ratio * members.size))
        held.append(rng.choice(members, size=k, replace=False))
    held = np.sort(np.concatenate(held)) if held else np.zeros(0, np.int64)
    return np.setdiff1d(np.arange(labels.size), held), held


def stratified_folds(labels: np.ndarray, num_folds: int,
                     seed: int) -> np.ndarray:
    """The fold of every sample in a stratified ``num_folds``-fold partition:
    each label value's samples, shuffled with ``seed``, are dealt to the
    folds in turn (fold sizes of a class differ by at most one).

    Returns:
        np.ndarray: ``(N,)`` fold index in ``[0, num_folds)``.
    """
    if isinstance(num_folds,
                  bool) or not isinstance(num_folds, int) or num_folds < 2:
        raise ValueError(f'num_folds must be an int >= 2, got '
                         f'num_folds={num_folds!r}')
    rng = np.random.default_rng(seed)
    fold = np.empty(labels.size, dtype=np.int64)
    for c in np.unique(labels):
        members = rng.permutation(np.flatnonzero(labels == c))
        fold[members] = np.arange(members.size) % num_folds
    return fold


@DATASETS.register_module()
class HoldoutSplitDataset(IndexWrapper):
    """One side of a seeded split of a (noisy) training set.

    Model selection under label noise must not look at clean test labels
    (``docs/design.md``, decision 7). Build this wrapper twice around the same
    :class:`NoisyLabelDataset` config, with ``split='train'`` for training
    and ``split='holdout'`` (with the test pipeline) for validation: the
    holdout accuracy is measured against the *given, noisy* labels, which
    is all a practitioner has. The split is stratified by the given label.

    ``sample_idx`` stays the wrapped dataset's index, so per-sample state
    (label stores, training dynamics) keeps addressing the full noisy set.

    Args:
        dataset (dict | dataset): The (noisy) training set.
        split (str): ``'train'`` or ``'holdout'``.
        ratio (float): Held-out share in (0, 1). Defaults to 0.1.
        seed (int): Seed of the split. Defaults to 0.
        num_folds (int, optional): Instead of ``ratio``: hold out fold
            ``fold`` of a stratified ``num_folds``-fold partition
            (:func:`stratified_folds`), so that ``num_folds`` trainings,
            one per fold, predict every sample out of sample. Defaults to
            None.
        fold (int): The held-out fold, in ``[0, num_folds)``. Defaults to
            0.
        lazy_init (bool): Defer :meth:`full_init`. Defaults to False.
    """

    def __init__(self,
                 dataset: Union[dict, Any],
                 split: str,
                 ratio: float = 0.1,
                 seed: int = 0,
                 num_folds: Optional[int] = None,
                 fold: int = 0,
                 lazy_init: bool = False):
        if split not in SPLITS:
            raise ValueError(f'split must be one of {SPLITS}, got '
                             f'split={split!r}')
        if not (isinstance(ratio, (int, float)) and 0 < ratio < 1):
            raise ValueError(f'ratio must be in (0, 1), got ratio={ratio!r}')
        if num_folds is not None:
            if isinstance(
                    num_folds,
                    bool) or not isinstance(num_folds, int) or num_folds < 2:
                raise ValueError('num_folds must be an int >= 2, got '
                                 f'num_folds={num_folds!r}')
            if isinstance(fold, bool) or not isinstance(
                    fold, int) or not 0 <= fold < num_folds:
                raise ValueError(f'fold must be an int in [0, {num_folds}), '
                                 f'got fold={fold!r}')
        elif fold != 0:
            raise ValueError(f'fold={fold!r} needs num_folds (the K of the '
                             'K-fold partition)')
        self.split = split
        self.ratio = float(ratio)
        self.seed = int(seed)
        self.num_folds, self.fold = num_folds, fold
        super().__init__(dataset, lazy_init=lazy_init)

    def _init_indices(self) -> None:
        labels = dataset_labels(self.dataset)
        if self.num_folds is None:
            train, held = stratified_holdout(labels, self.ratio, self.seed)
        else:
            folds = stratified_folds(labels, self.num_folds, self.seed)
            train = np.flatnonzero(folds != self.fold)
            held = np.flatnonzero(folds == self.fold)
        self._indices = train if self.split == 'train' else held
        if self._indices.size == 0:
            raise ValueError(f'HoldoutSplitDataset: split={self.split!r} is '
                             f'empty with ratio={self.ratio}')

    def get_data_info(self, idx: int) -> dict:
        """The wrapped info; its ``sample_idx`` is the wrapped index."""
        info = self.dataset.get_data_info(self._get_ori_dataset_idx(idx))
        info.setdefault('sample_idx', self._get_ori_dataset_idx(idx))
        return info

    def sample_indices(self) -> np.ndarray:
        """The ``sample_idx`` of every item: the wrapped dataset's, at this
        split's indices."""
        self.full_init()
        return sample_indices(self.dataset)[self._indices]

    def get_gt_labels(self) -> np.ndarray:
        """Given labels of this split."""
        self.full_init()
        return dataset_labels(self.dataset)[self._indices]
