# Copyright (c) lnl_mm contributors. All rights reserved.
"""Let MMEngine checkpoints load with ``torch.load(weights_only=True)``.

Since torch 2.6 ``torch.load`` defaults to ``weights_only=True`` and refuses
every global that is not allowlisted. MMEngine 0.10.7 calls ``torch.load``
without the argument, and its checkpoints hold a few non-tensor types (the
message hub's ``HistoryBuffer`` and NumPy scalars/arrays inside it), so
``--resume`` and ``load_from`` fail. We allowlist exactly those types, never
fall back to ``weights_only=False`` (``DESIGN.md`` decision 4).
"""
from typing import List

import numpy as np
import torch


def _numpy_globals() -> List:
    try:  # NumPy >= 2
        from numpy._core.multiarray import _reconstruct, scalar
    except ImportError:  # pragma: no cover - NumPy 1.x
        from numpy.core.multiarray import _reconstruct, scalar
    dtypes = [type(np.dtype(t)) for t in (
        np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8,
        np.uint16, np.uint32, np.uint64, np.float16, np.float32, np.float64)]
    return [_reconstruct, scalar, np.ndarray, np.dtype, *dtypes]


def _mmengine_globals() -> List:
    from mmengine.logging.history_buffer import HistoryBuffer
    return [HistoryBuffer]


#: Filled by :func:`register_safe_globals`: every type we allowlist.
CHECKPOINT_SAFE_GLOBALS: List = []


def register_safe_globals() -> None:
    """Allowlist the checkpoint types for ``weights_only=True`` loading."""
    if CHECKPOINT_SAFE_GLOBALS or not hasattr(torch.serialization,
                                              'add_safe_globals'):
        return
    CHECKPOINT_SAFE_GLOBALS.extend(_numpy_globals() + _mmengine_globals())
    torch.serialization.add_safe_globals(CHECKPOINT_SAFE_GLOBALS)
