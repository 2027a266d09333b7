# Copyright (c) lnl_mm contributors. All rights reserved.
"""Per-sample training targets, indexed by the noisy wrapper's sample_idx."""
import hashlib
from typing import Dict, Optional

import numpy as np
import torch
import torch.nn.functional as F


class LabelStore:
    """Soft training targets of every training sample (``DESIGN.md``, 5).

    A dense ``(N, C)`` float32 table on the CPU, indexed by the
    ``sample_idx`` that :class:`~lnl_mm.datasets.NoisyLabelDataset` gives
    every item. It starts as the one-hot given labels. Methods that correct
    labels (SLN label correction, soft refurbishment) write whole rows;
    training reads the rows of a batch. Every rank holds the full table and
    applies the same updates, so the copies stay identical (check with
    :meth:`checksum`); :meth:`state_dict` goes into checkpoints.

    Args:
        labels (array-like): ``(N,)`` given labels, the initial targets.
        num_classes (int): ``C``.
    """

    def __init__(self, labels, num_classes: int):
        labels = torch.as_tensor(np.asarray(labels), dtype=torch.long)
        if labels.dim() != 1 or labels.numel() == 0:
            raise ValueError('LabelStore: labels must be a non-empty (N,) '
                             f'array, got shape {tuple(labels.shape)}')
        if not isinstance(num_classes, int) or num_classes < 2:
            raise ValueError('LabelStore: num_classes must be an int >= 2, '
                             f'got {num_classes!r}')
        if labels.min() < 0 or labels.max() >= num_classes:
            raise ValueError(
                f'LabelStore: labels must lie in [0, {num_classes}), got '
                f'[{int(labels.min())}, {int(labels.max())}]')
        self.num_classes = num_classes
        self.given = labels
        self.targets = F.one_hot(labels, num_classes).float()
        self.version = 0

    def __len__(self) -> int:
        return self.targets.size(0)

    def _index(self, sample_idx) -> torch.Tensor:
        idx = torch.as_tensor(np.asarray(sample_idx), dtype=torch.long)
        if idx.numel() and (idx.min() < 0 or idx.max() >= len(self)):
            raise IndexError(
                f'LabelStore: sample_idx out of range [0, {len(self)}): '
                f'[{int(idx.min())}, {int(idx.max())}]')
        return idx

    def get(self, sample_idx, device: Optional[torch.device] = None
            ) -> torch.Tensor:
        """The ``(B, C)`` targets of ``sample_idx``."""
        rows = self.targets[self._index(sample_idx)]
        return rows if device is None else rows.to(device)

    def set(self, sample_idx, values: torch.Tensor) -> None:
        """Overwrite the rows of ``sample_idx`` with ``values`` ``(B, C)``."""
        idx = self._index(sample_idx)
        values = torch.as_tensor(values).detach().float().cpu()
        if values.shape != (idx.numel(), self.num_classes):
            raise ValueError(
                f'LabelStore.set: values of shape {tuple(values.shape)} for '
                f'{idx.numel()} samples and {self.num_classes} classes')
        if not torch.isfinite(values).all():
            raise ValueError('LabelStore.set: values must be finite')
        self.targets[idx] = values
        self.version += 1

    def set_all(self, values: torch.Tensor) -> None:
        """Replace the whole table (row ``i`` is sample ``i``)."""
        self.set(np.arange(len(self)), values)

    def checksum(self) -> str:
        """sha256 of the table's bytes: equal on ranks that agree."""
        return hashlib.sha256(self.targets.numpy().tobytes()).hexdigest()

    def state_dict(self) -> Dict:
        """Tensors only, so checkpoints load with ``weights_only=True``."""
        return dict(targets=self.targets.clone(), given=self.given.clone(),
                    version=torch.tensor(self.version))

    def load_state_dict(self, state: Dict) -> None:
        """Restore :meth:`state_dict`; the given labels must match."""
        given = torch.as_tensor(state['given'], dtype=torch.long)
        if not torch.equal(given, self.given):
            raise ValueError(
                'LabelStore: the checkpoint was written for other given '
                'labels (different noise, seed or dataset); refusing to load '
                'its targets')
        targets = torch.as_tensor(state['targets']).float()
        if targets.shape != self.targets.shape:
            raise ValueError(f'LabelStore: checkpoint targets have shape '
                             f'{tuple(targets.shape)}, expected '
                             f'{tuple(self.targets.shape)}')
        self.targets = targets.clone()
        self.version = int(state.get('version', 0))
