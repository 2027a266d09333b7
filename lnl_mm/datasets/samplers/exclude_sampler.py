# Copyright (c) lnl_mm contributors. All rights reserved.
"""A distributed sampler that can leave samples out for an epoch."""
import math
from typing import Iterator, Sequence

import numpy as np
import torch
from mmengine.dataset import DefaultSampler
from mmpretrain.registry import DATA_SAMPLERS


@DATA_SAMPLERS.register_module()
class ExcludeSampler(DefaultSampler):
    """:class:`DefaultSampler` over the samples not excluded.

    :meth:`exclude` removes indices until the next call (Dynamic Loss takes
    its per-epoch meta set out of that epoch's training). Shuffling is
    seeded by ``seed + epoch`` and the indices are padded (``round_up``) and
    sharded over ranks as in :class:`DefaultSampler`, so every rank agrees.

    Args:
        dataset: The dataset.
        shuffle (bool): Shuffle every epoch. Defaults to True.
        seed (int, optional): Shuffling seed (synchronised over ranks when
            None, as DefaultSampler).
        round_up (bool): Pad to a multiple of the world size. Defaults to
            True.
    """

    def __init__(self,
                 dataset,
                 shuffle: bool = True,
                 seed=None,
                 round_up: bool = True) -> None:
        super().__init__(
            dataset, shuffle=shuffle, seed=seed, round_up=round_up)
        self._kept = np.arange(len(self.dataset))
        self._set_sizes()

    def _set_sizes(self) -> None:
        n = len(self._kept)
        if self.round_up:
            self.num_samples = math.ceil(n / self.world_size)
            self.total_size = self.num_samples * self.world_size
        else:
            self.num_samples = math.ceil((n - self.rank) / self.world_size)
            self.total_size = n

    def exclude(self, indices: Sequence[int]) -> None:
        """Leave ``indices`` out (replacing the previous exclusion)."""
        excluded = np.unique(np.asarray(indices, dtype=np.int64))
        if excluded.size and (excluded[0] < 0
                              or excluded[-1] >= len(self.dataset)):
            raise IndexError(f'ExcludeSampler: indices outside [0, '
                             f'{len(self.dataset)})')
        self._kept = np.setdiff1d(np.arange(len(self.dataset)), excluded)
        if self._kept.size == 0:
            raise ValueError('ExcludeSampler: every sample is excluded')
        self._set_sizes()

    def __iter__(self) -> Iterator[int]:
        kept = torch.from_numpy(self._kept)
        if self.shuffle:
            g = torch.Generator()
            g.manual_seed(self.seed + self.epoch)
            kept = kept[torch.randperm(len(kept), generator=g)]
        indices = kept.tolist()
        if self.round_up:
            indices = (
                indices *
                int(self.total_size / len(indices) + 1))[:self.total_size]
        return iter(indices[self.rank:self.total_size:self.world_size])
