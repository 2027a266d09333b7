# Copyright (c) lnl_mm contributors. All rights reserved.
"""Realised noise statistics, the body of the noise manifest."""
import hashlib
from typing import Dict, Sequence

import numpy as np


def label_sha256(labels: np.ndarray) -> str:
    """sha256 of labels as little-endian int64 bytes (platform independent)."""
    return hashlib.sha256(np.ascontiguousarray(
        labels, dtype='<i8').tobytes()).hexdigest()


def noise_statistics(clean: np.ndarray, noisy: np.ndarray,
                     num_classes: int) -> Dict:
    """Realised rate overall and per class, and the transition matrix.

    Samples whose clean label is ``-1`` (open-set images) are left out of the
    rates and of the matrix; they are counted in ``num_open_set``.

    Args:
        clean (np.ndarray): Clean labels (N,), ``-1`` for open-set images.
        noisy (np.ndarray): Given labels (N,).
        num_classes (int): Number of classes C.

    Returns:
        dict: ``realised_rate``, ``per_class_rate`` (by clean class, ``None``
        for an empty class), ``class_counts``, ``transition_matrix``
        (row ``i``: distribution of the given label of clean class ``i``),
        ``num_flipped``, ``num_open_set``.
    """
    clean = np.asarray(clean, dtype=np.int64)
    noisy = np.asarray(noisy, dtype=np.int64)
    known = clean >= 0
    counts = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(counts, (clean[known], noisy[known]), 1)
    per_class = counts.sum(axis=1)
    flipped = per_class - np.diag(counts)
    with np.errstate(invalid='ignore', divide='ignore'):
        T = counts / per_class[:, None]
    n_known = int(known.sum())
    return dict(
        num_samples=int(clean.size),
        num_flipped=int(flipped.sum()),
        num_open_set=int((~known).sum()),
        realised_rate=float(flipped.sum() / n_known) if n_known else 0.0,
        per_class_rate=[
            float(f / n) if n else None for f, n in zip(flipped, per_class)
        ],
        class_counts=per_class.tolist(),
        noisy_class_counts=np.bincount(noisy, minlength=num_classes).tolist(),
        transition_matrix=[[
            round(float(v), 6) if np.isfinite(v) else None for v in row
        ] for row in T],
    )


def stats_transition(matrix: Sequence[Sequence]) -> np.ndarray:
    """The ``transition_matrix`` of :func:`noise_statistics` (a manifest's)
    back as a float64 array, an empty class's row (``None`` entries) read as
    the identity row: that class is never relabelled."""
    rows = [[np.nan if v is None else v for v in row] for row in matrix]
    T = np.asarray(rows, dtype=np.float64)
    empty = ~np.isfinite(T).all(axis=1)
    T[empty] = np.eye(len(T))[empty]
    return T
