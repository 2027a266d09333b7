# Copyright (c) lnl_mm contributors. All rights reserved.
"""A sampler that gives every rank the whole dataset, in the same order."""
from typing import Iterator

import torch
from mmengine.dataset import DefaultSampler
from mmpretrain.registry import DATA_SAMPLERS


@DATA_SAMPLERS.register_module()
class ReplicatedSampler(DefaultSampler):
    """Every rank sees every sample, in one order shared by all ranks.

    For a meta loader whose batches must be the same on every rank: the
    reweighting seed gives each GPU the same clean meta batch (its
    ``val_loader`` is not distributed), where :class:`DefaultSampler`
    splits the meta set across ranks. The order is ``range(N)`` or, with
    ``shuffle``, a permutation seeded by ``seed + epoch`` (the seed is
    synchronised over ranks when None, as in :class:`DefaultSampler`).

    Args:
        dataset: The dataset.
        shuffle (bool): Shuffle every epoch. Defaults to False.
        seed (int, optional): Shuffling seed.
    """

    def __init__(self, dataset, shuffle: bool = False, seed=None) -> None:
        super().__init__(dataset, shuffle=shuffle, seed=seed, round_up=False)
        self.num_samples = self.total_size = len(self.dataset)

    def __iter__(self) -> Iterator[int]:
        if self.shuffle:
            g = torch.Generator()
            g.manual_seed(self.seed + self.epoch)
            return iter(
                torch.randperm(len(self.dataset), generator=g).tolist())
        return iter(range(len(self.dataset)))

    def __len__(self) -> int:
        return self.num_samples
