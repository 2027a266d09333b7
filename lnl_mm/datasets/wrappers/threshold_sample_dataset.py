# Copyright (c) lnl_mm contributors. All rights reserved.
"""``ThresholdSampleDataset``: AUM's threshold samples, relabelled to an
extra class."""
from typing import Any, Union

import numpy as np
from mmpretrain.registry import DATASETS

from .noisy_label_dataset import NoisyLabelDataset
from .utils import IndexWrapper, dataset_num_classes

#: The name of the extra class in ``metainfo['classes']``.
EXTRA_CLASS_NAME = 'threshold sample'


def threshold_sample_indices(num_samples: int, num_classes: int,
                             threshold_set: int, seed: int) -> np.ndarray:
    """The sorted indices of threshold set ``threshold_set``: the
    ``threshold_set``-th block of ``num_samples // (num_classes + 1)``
    indices of a permutation seeded by ``seed`` (the sets of one seed are
    disjoint, as the official runs' two sets are)."""
    size = num_samples // (num_classes + 1)
    if isinstance(threshold_set, bool) or not isinstance(
            threshold_set, int) or not 0 <= threshold_set <= num_classes:
        raise ValueError(
            f'threshold_set must be an int in [0, {num_classes}] (there are '
            f'{num_classes + 1} disjoint sets of {size}), got '
            f'threshold_set={threshold_set!r}')
    if size == 0:
        raise ValueError(
            f'ThresholdSampleDataset: {num_samples} samples of {num_classes} '
            'classes make no threshold sample (N // (C + 1) = 0)')
    perm = np.random.default_rng(seed).permutation(num_samples)
    return np.sort(perm[threshold_set * size:(threshold_set + 1) * size])


@DATASETS.register_module()
class ThresholdSampleDataset(IndexWrapper):
    r"""A noisy training set with AUM's *threshold samples*.

    `Identifying Mislabeled Data using the Area Under the Margin Ranking
    <https://arxiv.org/abs/2001.10528>`_ (Pleiss et al., NeurIPS 2020)
    calibrates the AUM below which a label is called wrong with samples
    whose label is wrong by construction: :math:`N / (C + 1)` random
    training samples are given an extra class :math:`C` that no image
    belongs to. Their AUM is that of a wrong label the network can still
    memorise; a sample whose AUM is below the 99th percentile of theirs is
    flagged (:func:`~lnl_mm.evaluation.worse_than_threshold_samples`). A
    threshold sample is not judged itself, so the paper trains twice, with
    two disjoint sets (``threshold_set=0`` and ``1`` with the same
    ``seed``), and judges every sample by the runs it was not a threshold
    sample in.

    The model needs :math:`C + 1` outputs (``model.head.num_classes``;
    :class:`~lnl_mm.engine.hooks.NoiseManifestHook` refuses a head of
    another size). The wrapper takes the place of the
    :class:`NoisyLabelDataset` it wraps for the hooks: ``noisy_labels`` are
    the given labels with class :math:`C` on the threshold samples,
    ``clean_labels`` the wrapped ones (so a threshold sample counts as a
    wrong label, which it is), and the noise manifest adds
    ``threshold_samples`` (set, seed, extra class, indices), which
    ``tools/analysis_tools/find_label_issues.py --method aum`` reads.

    Args:
        dataset (dict | NoisyLabelDataset): The noisy training set (a
            dataset with its own labels: wrap it in a ``NoisyLabelDataset``
            with ``noise=dict(type='symmetric', rate=0)``).
        threshold_set (int): Which of the :math:`C + 1` disjoint sets of
            ``seed``'s permutation. Defaults to 0.
        seed (int): Seed of the permutation. Defaults to 0.
        lazy_init (bool): Defer the initialisation. Defaults to False.
    """

    def __init__(self,
                 dataset: Union[dict, Any],
                 threshold_set: int = 0,
                 seed: int = 0,
                 lazy_init: bool = False):
        self.threshold_set = threshold_set
        self.seed = seed
        super().__init__(dataset, lazy_init=lazy_init)

    def _init_indices(self) -> None:
        noisy = self.dataset
        if not isinstance(noisy, NoisyLabelDataset):
            raise TypeError(
                'ThresholdSampleDataset wraps a NoisyLabelDataset (its given '
                f'labels and manifest), got {type(self.dataset).__name__}; '
                'for a dataset with its own labels use NoisyLabelDataset('
                "noise=dict(type='symmetric', rate=0))")
        self.noisy_dataset = noisy
        num = len(self.dataset)
        classes = dataset_num_classes(self.dataset)
        self.extra_class = classes
        self.num_classes = classes + 1
        self.threshold_indices = threshold_sample_indices(
            num, classes, self.threshold_set, self.seed)
        self.is_threshold_sample = np.zeros(num, dtype=bool)
        self.is_threshold_sample[self.threshold_indices] = True
        self.noisy_labels = np.asarray(noisy.noisy_labels).copy()
        self.noisy_labels[self.threshold_indices] = self.extra_class
        self.clean_labels = np.asarray(noisy.clean_labels).copy()
        self.is_noisy = self.noisy_labels != self.clean_labels
        names = self._metainfo.get('classes')
        if names is not None:
            self._metainfo = dict(
                self._metainfo, classes=tuple(names) + (EXTRA_CLASS_NAME, ))
        self._indices = np.arange(num)

    def get_data_info(self, idx: int) -> dict:
        """The wrapped info; a threshold sample's label is the extra
        class."""
        info = super().get_data_info(idx)
        info['gt_label'] = int(self.noisy_labels[info['sample_idx']])
        info['is_noisy'] = bool(self.is_noisy[info['sample_idx']])
        return info

    def get_gt_labels(self) -> np.ndarray:
        """The labels training sees (the extra class on threshold
        samples)."""
        self.full_init()
        return self.noisy_labels.copy()

    def noise_manifest(self) -> dict:
        """The wrapped manifest plus ``threshold_samples``."""
        self.full_init()
        manifest = self.noisy_dataset.noise_manifest()
        manifest['threshold_samples'] = dict(
            threshold_set=self.threshold_set,
            seed=self.seed,
            extra_class=self.extra_class,
            num_threshold_samples=int(self.threshold_indices.size),
            indices=self.threshold_indices.tolist())
        return manifest

    def dump_manifest(self, path: str) -> dict:
        """Write :meth:`noise_manifest` as JSON to ``path`` and return it."""
        return NoisyLabelDataset.dump_manifest(self, path)
