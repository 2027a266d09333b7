# Copyright (c) lnl_mm contributors. All rights reserved.
"""The one per-sample store of a model: named fields, one row per sample."""
import hashlib
from typing import Dict, Sequence, Tuple, Union

import numpy as np
import torch
import torch.nn.functional as F
from mmengine.dist import all_gather_object, get_world_size
from torch import Tensor, nn

#: ``init`` of a field: a constant, or ``'one_hot'`` (rows ``(C,)``: the
#: one-hot given label).
FieldInit = Union[float, int, str]
OLD_LAYOUT = ('soft_labels', 'beta_state', 'score_state', 'ranks')


class SampleStore(nn.Module):
    """Per-sample state, owned by the model, saved in its state dict.

    Every training sample has one row in every *field*; rows are indexed by
    the ``sample_idx`` that :class:`~lnl_mm.datasets.NoisyLabelDataset`
    gives each item (mmengine's own index repeats under Concat / Repeat).
    Fields are added by name (:meth:`add_field`): SLN's corrected targets,
    the soft refurbishment labels, the proposal's trust and score, Dynamic
    Loss's ranks, and the next methods' per-sample quantities. Fields are
    buffers, so a checkpoint carries them and a resumed run gets them back
    exactly.

    * **Sizing.** The store starts empty. The train loop (meta methods) or
      the hook that writes the field (SLN's label correction) calls
      :meth:`initialize` with the training set's given labels before the
      checkpoint is loaded; a model built without them (testing) adopts the
      checkpoint's sizes.
    * **Safety.** The given labels are kept beside the fields: a checkpoint
      written for other labels (other noise, seed or dataset) is refused.
      Rows must be finite; indices must lie in ``[0, N)``.
    * **Ranks.** Every rank holds the whole store and applies the same
      writes (gather the rows first, see :func:`gather_rows`);
      :meth:`check_ranks` compares checksums across ranks.
    * **In place.** Sizing and loading change the buffers in place
      (``Tensor.set_``), so a copy that shares them (the momentum model's)
      stays the same store.

    Every field also counts its writes (buffer ``<name>_writes``): SLN's
    targets are used once a correction has written them.
    """

    def __init__(self):
        super().__init__()
        self._fields: Dict[str, Tuple[Tuple[int, ...], torch.dtype,
                                      FieldInit]] = {}
        self.register_buffer('given', torch.zeros(0, dtype=torch.long))

    # -- fields ------------------------------------------------------------
    def add_field(self,
                  name: str,
                  row_shape: Sequence[int] = (),
                  dtype: torch.dtype = torch.float32,
                  init: FieldInit = 0.0) -> None:
        """Register field ``name`` with rows of ``row_shape``.

        Args:
            name (str): A Python identifier, unique in the store.
            row_shape (Sequence[int]): Shape of one row; ``()`` for scalars.
            dtype (torch.dtype): Defaults to float32.
            init (float | str): Initial value of every entry, or
                ``'one_hot'`` for ``(C,)`` rows holding the one-hot given
                label. Defaults to 0.
        """
        if not name.isidentifier() or name == 'given' or \
                name.endswith('_writes') or name in self._fields:
            raise ValueError(f'SampleStore: field name {name!r} is invalid '
                             f'or taken (fields: {self.fields})')
        row_shape = tuple(int(s) for s in row_shape)
        if init == 'one_hot' and len(row_shape) != 1:
            raise ValueError("SampleStore: init='one_hot' needs rows of "
                             f'shape (C,), got {row_shape} for {name!r}')
        if isinstance(init, str) and init != 'one_hot':
            raise ValueError(f"SampleStore: init must be a number or "
                             f"'one_hot', got init={init!r}")
        self._fields[name] = (row_shape, dtype, init)
        self.register_buffer(name, torch.zeros(0, *row_shape, dtype=dtype))
        self.register_buffer(f'{name}_writes', torch.zeros((),
                                                           dtype=torch.long))
        if self.initialized:
            self._fill(name)

    @property
    def fields(self) -> Tuple[str, ...]:
        """Names of the fields, in the order they were added."""
        return tuple(self._fields)

    # -- sizing ------------------------------------------------------------
    @property
    def initialized(self) -> bool:
        """Whether the store has been sized."""
        return self.given.numel() > 0

    def __len__(self) -> int:
        return self.given.numel()

    def initialize(self, given_labels) -> None:
        """Size every field for the ``(N,)`` given labels and fill it with
        its initial value."""
        given = torch.as_tensor(np.asarray(given_labels), dtype=torch.long)
        if given.dim() != 1 or given.numel() == 0:
            raise ValueError('SampleStore: given labels must be a non-empty '
                             f'(N,) array, got shape {tuple(given.shape)}')
        self.given.set_(given.to(self.given.device))
        for name in self._fields:
            self._fill(name)

    def _fill(self, name: str) -> None:
        row_shape, dtype, init = self._fields[name]
        buf = getattr(self, name)
        if init == 'one_hot':
            if self.given.numel() and int(self.given.max()) >= row_shape[0]:
                raise ValueError(
                    f'SampleStore: given label {int(self.given.max())} '
                    f'outside the {row_shape[0]} classes of {name!r}')
            value = F.one_hot(self.given, row_shape[0]).to(dtype)
        else:
            value = torch.full((len(self), *row_shape),
                               init,
                               dtype=dtype,
                               device=buf.device)
        buf.set_(value.to(buf.device))
        getattr(self, f'{name}_writes').zero_()

    # -- rows --------------------------------------------------------------
    def _index(self, name: str, sample_idx) -> Tensor:
        if name not in self._fields:
            raise KeyError(f'SampleStore: no field {name!r}; fields: '
                           f'{self.fields}')
        if not self.initialized:
            raise RuntimeError(
                'SampleStore is empty: it is sized from the training set by '
                'the train loop (meta and two-network methods), by the hook '
                'that writes it (SLNLabelCorrectionHook) or by '
                "SampleStoreHook (add dict(type='SampleStoreHook') to "
                'custom_hooks)')
        idx = torch.as_tensor(np.asarray(sample_idx), dtype=torch.long)
        idx = idx.to(self.given.device).reshape(-1)
        if idx.numel() and (idx.min() < 0 or idx.max() >= len(self)):
            raise IndexError(
                f'SampleStore: sample_idx out of range [0, {len(self)}): '
                f'[{int(idx.min())}, {int(idx.max())}]')
        return idx

    def get(self, name: str, sample_idx) -> Tensor:
        """Rows of ``sample_idx`` in field ``name`` (a copy)."""
        idx = self._index(name, sample_idx)
        return getattr(self, name)[idx].clone()

    def set(self, name: str, sample_idx, rows: Tensor) -> None:
        """Overwrite the rows of ``sample_idx`` in field ``name``."""
        idx = self._index(name, sample_idx)
        buf = getattr(self, name)
        rows = torch.as_tensor(rows).detach().to(buf)
        if rows.shape != (idx.numel(), *buf.shape[1:]):
            raise ValueError(
                f'SampleStore.set({name!r}): rows of shape '
                f'{tuple(rows.shape)} for {idx.numel()} samples with rows '
                f'{tuple(buf.shape[1:])}')
        if rows.is_floating_point() and not torch.isfinite(rows).all():
            raise ValueError(f'SampleStore.set({name!r}): rows must be '
                             'finite')
        buf[idx] = rows
        getattr(self, f'{name}_writes').add_(1)

    def set_all(self, name: str, rows: Tensor) -> None:
        """Replace the whole field (row ``i`` is sample ``i``)."""
        self.set(name, torch.arange(len(self)), rows)

    def writes(self, name: str) -> int:
        """How often field ``name`` was written since it was filled."""
        return int(getattr(self, f'{name}_writes'))

    # -- ranks -------------------------------------------------------------
    def checksum(self) -> str:
        """sha256 of the given labels and every field: equal on ranks that
        agree."""
        digest = hashlib.sha256()
        for name in ('given', *self._fields):
            digest.update(getattr(self, name).detach().cpu().numpy().tobytes())
        return digest.hexdigest()

    def check_ranks(self) -> str:
        """Compare :meth:`checksum` across ranks; raise if they differ.

        Returns:
            str: The checksum all ranks agree on.
        """
        mine = self.checksum()
        if get_world_size() == 1:
            return mine
        sums = all_gather_object(mine)
        if len(set(sums)) != 1:
            raise RuntimeError('SampleStore: the ranks hold different '
                               f'per-sample state: {sums}')
        return mine

    # -- checkpoints -------------------------------------------------------
    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict,
                              missing_keys, unexpected_keys, error_msgs):
        given = state_dict.get(prefix + 'given')
        if given is not None:
            if self.initialized and not torch.equal(
                    given.to(self.given), self.given):
                raise ValueError(
                    'SampleStore: the checkpoint was written for other given '
                    'labels (different noise, seed or dataset); refusing to '
                    'load its per-sample state')
            # adopt the checkpoint's sizes, in place
            for name in ('given', *self._fields):
                saved = state_dict.get(prefix + name)
                buf = getattr(self, name)
                if saved is not None and saved.shape != buf.shape:
                    buf.set_(
                        torch.empty_like(
                            saved, dtype=buf.dtype, device=buf.device))
        super()._load_from_state_dict(state_dict, prefix, local_metadata,
                                      strict, missing_keys, unexpected_keys,
                                      error_msgs)

    def extra_repr(self) -> str:
        return f'num_samples={len(self)}, fields={self.fields}'


def gather_rows(idx: Tensor, rows: Tensor) -> Tuple[Tensor, Tensor]:
    """All ranks' ``(idx, rows)``, concatenated (identity on one rank), so
    that every rank writes the same rows into its store."""
    if get_world_size() == 1:
        return idx, rows
    parts = all_gather_object((idx.cpu(), rows.detach().cpu()))
    return (torch.cat([p[0] for p in parts]), torch.cat([p[1] for p in parts
                                                         ]).to(rows.device))


def refuse_old_layout(state_dict: dict, prefix: str = '') -> None:
    """Fail clearly on a checkpoint written before the :class:`SampleStore`
    (its per-sample tables were ``<name>.values`` / ``<name>.given``)."""
    old = [
        k for k in state_dict if k.startswith(prefix) and any(
            k[len(prefix):] in (f'{n}.values', f'{n}.given')
            for n in OLD_LAYOUT)
    ]
    if old:
        raise ValueError(
            'this checkpoint stores per-sample state in the layout of '
            f'lnl_mm 0.1 ({", ".join(sorted(old)[:4])}); lnl_mm 0.2 keeps it '
            "in the model's SampleStore (store.<field>) and cannot load it: "
            'retrain with this version')
