# Copyright (c) lnl_mm contributors. All rights reserved.
"""Label noise drawn from an arbitrary row-stochastic transition matrix."""
from typing import Sequence, Union

import numpy as np

from .registry import check_labels, register_noise

#: Tolerance on the row sums of a user-given transition matrix.
ROW_SUM_ATOL = 1e-6


def check_transition_matrix(matrix: Union[np.ndarray, Sequence],
                            num_classes: int) -> np.ndarray:
    """Validate a (C, C) row-stochastic matrix and return it as float64."""
    try:
        T = np.asarray(matrix, dtype=np.float64)
    except (ValueError, TypeError):
        rows = [len(r) if hasattr(r, '__len__') else None for r in matrix] \
            if hasattr(matrix, '__iter__') else None
        raise ValueError(
            f'noise.matrix must be a ({num_classes}, {num_classes}) matrix '
            f'of numbers; got rows of lengths {rows}') from None
    if T.shape != (num_classes, num_classes):
        raise ValueError(f'noise.matrix must have shape ({num_classes}, '
                         f'{num_classes}), got {T.shape}')
    if (T < 0).any():
        raise ValueError('noise.matrix has negative entries')
    sums = T.sum(axis=1)
    if not np.allclose(sums, 1.0, atol=ROW_SUM_ATOL):
        bad = int(np.argmax(np.abs(sums - 1.0)))
        raise ValueError('noise.matrix rows must sum to 1, row '
                         f'{bad} sums to {sums[bad]:.6g}')
    return T


def sample_from_rows(probs: np.ndarray,
                     rng: np.random.Generator) -> np.ndarray:
    """Draw one class per row of an (N, C) probability array."""
    cdf = np.cumsum(probs, axis=1)
    cdf[:, -1] = 1.0  # guard against round-off in the last bin
    u = rng.random((probs.shape[0], 1))
    return (u >= cdf).sum(axis=1).astype(np.int64)


@register_noise('transition')
def transition(labels: np.ndarray, num_classes: int, rng: np.random.Generator,
               *, matrix: Union[np.ndarray, Sequence]) -> np.ndarray:
    """Draw each noisy label from row ``y`` of a transition matrix.

    .. math::
        P(\\tilde y = j \\mid y = i) = T_{ij}

    Args:
        labels (np.ndarray): Clean labels, shape (N,).
        num_classes (int): Number of classes C.
        rng (np.random.Generator): Random generator.
        matrix (array-like): Row-stochastic (C, C) matrix ``T``.

    Returns:
        np.ndarray: Noisy labels, drawn independently per sample.
    """
    labels = check_labels(labels, num_classes)
    T = check_transition_matrix(matrix, num_classes)
    noisy = np.empty_like(labels)
    for c in np.unique(labels):
        members = np.flatnonzero(labels == c)
        noisy[members] = rng.choice(num_classes, size=members.size, p=T[c])
    return noisy
