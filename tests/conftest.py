# Copyright (c) lnl_mm contributors. All rights reserved.
"""Shared fixtures: a tiny in-memory dataset with known labels."""
import numpy as np
import pytest
from mmpretrain.datasets import BaseDataset

import lnl_mm  # noqa: F401  (registration)


class ToyDataset(BaseDataset):
    """``labels`` given explicitly; images are 4x4 arrays encoding the index.

    Not registered: tests pass built instances or use ``type=ToyDataset``
    objects directly, so no registry is mutated.
    """

    def __init__(self, labels, num_classes=None, **kwargs):
        self._labels = np.asarray(labels, dtype=np.int64)
        C = num_classes or int(self._labels.max()) + 1
        kwargs.setdefault('metainfo', dict(classes=[str(c) for c in range(C)]))
        super().__init__(ann_file='', **kwargs)

    def load_data_list(self):
        rng = np.random.default_rng(1234)
        return [
            dict(
                img=rng.integers(0, 255, (4, 4), dtype=np.uint8),
                gt_label=int(y),
                orig=i) for i, y in enumerate(self._labels)
        ]


@pytest.fixture
def toy_dataset_cls():
    return ToyDataset


def balanced_labels(num_classes: int, per_class: int) -> np.ndarray:
    return np.repeat(np.arange(num_classes), per_class)


@pytest.fixture
def balanced():
    return balanced_labels
