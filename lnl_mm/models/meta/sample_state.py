# Copyright (c) lnl_mm contributors. All rights reserved.
"""Per-sample state of a meta-learning classifier, saved with the model."""
from typing import Sequence

import numpy as np
import torch
from torch import Tensor, nn


class PerSampleState(nn.Module):
    """A float table with one row per training sample, as model buffers.

    Rows are indexed by the ``sample_idx`` of
    :class:`~lnl_mm.datasets.NoisyLabelDataset` (``DESIGN.md``, 5). The table
    is a buffer, so it travels in every checkpoint and a resumed run gets it
    back exactly. It starts empty; the meta train loop sizes it from the
    training set before the checkpoint is loaded, and a model built without
    the loop (testing) adopts the checkpoint's size. The given labels are
    kept beside it: a checkpoint written for other labels is refused.

    Args:
        row_shape (Sequence[int]): Shape of a row; ``()`` for scalars.
        init_value (float): Initial value of every entry when not given by
            :meth:`initialize`.
    """

    def __init__(self, row_shape: Sequence[int] = (), init_value: float = 0.):
        super().__init__()
        self.row_shape = tuple(row_shape)
        self.init_value = float(init_value)
        self.register_buffer('values', torch.zeros(0, *self.row_shape))
        self.register_buffer('given', torch.zeros(0, dtype=torch.long))

    @property
    def initialized(self) -> bool:
        return self.values.size(0) > 0

    def initialize(self, given_labels, values: Tensor = None) -> None:
        """Size the table for ``len(given_labels)`` samples."""
        given = torch.as_tensor(np.asarray(given_labels), dtype=torch.long)
        if values is None:
            values = torch.full((given.numel(), *self.row_shape),
                                self.init_value)
        if values.shape != (given.numel(), *self.row_shape):
            raise ValueError(f'PerSampleState: initial values of shape '
                             f'{tuple(values.shape)} for {given.numel()} '
                             f'samples with rows {self.row_shape}')
        device = self.values.device
        self.values = values.float().to(device)
        self.given = given.to(device)

    def _index(self, sample_idx) -> Tensor:
        if not self.initialized:
            raise RuntimeError(
                'PerSampleState is empty: train with '
                "train_cfg=dict(type='MetaEpochBasedTrainLoop', ...), which "
                'sizes it from the training set')
        idx = torch.as_tensor(sample_idx, dtype=torch.long,
                              device=self.values.device)
        if idx.numel() and (idx.min() < 0 or idx.max() >= len(self.values)):
            raise IndexError(
                f'PerSampleState: sample_idx out of range '
                f'[0, {len(self.values)}): [{int(idx.min())}, '
                f'{int(idx.max())}]')
        return idx

    def get(self, sample_idx) -> Tensor:
        """Rows of ``sample_idx`` (a copy)."""
        return self.values[self._index(sample_idx)].clone()

    def set(self, sample_idx, rows: Tensor) -> None:
        """Overwrite the rows of ``sample_idx``."""
        idx = self._index(sample_idx)
        rows = rows.detach().to(self.values)
        if not torch.isfinite(rows).all():
            raise ValueError('PerSampleState.set: rows must be finite')
        self.values[idx] = rows

    def _load_from_state_dict(self, state_dict, prefix, local_metadata,
                              strict, missing_keys, unexpected_keys,
                              error_msgs):
        given = state_dict.get(prefix + 'given')
        values = state_dict.get(prefix + 'values')
        if given is not None and values is not None:
            if self.initialized and not torch.equal(
                    given.to(self.given), self.given):
                raise ValueError(
                    'PerSampleState: the checkpoint was written for other '
                    'given labels (different noise, seed or dataset); '
                    'refusing to load its per-sample state')
            self.values = torch.empty_like(values, device=self.values.device)
            self.given = torch.empty_like(given, device=self.given.device)
        super()._load_from_state_dict(state_dict, prefix, local_metadata,
                                      strict, missing_keys, unexpected_keys,
                                      error_msgs)
