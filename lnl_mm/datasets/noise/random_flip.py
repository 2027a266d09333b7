# Copyright (c) lnl_mm contributors. All rights reserved.
"""Meta-Weight-Net's ``flip`` / ``flip2`` noise: random target classes."""
import numpy as np

from .registry import check_labels, check_rate, register_noise


def random_flip_matrix(num_classes: int, rate: float, num_targets: int,
                       rng: np.random.Generator) -> np.ndarray:
    """``1 - rate`` on the diagonal and ``rate / num_targets`` on
    ``num_targets`` distinct other classes of every row, drawn at random."""
    if not isinstance(num_targets, int) or not \
            1 <= num_targets <= num_classes - 1:
        raise ValueError(f'noise.num_targets must be an int in [1, '
                         f'{num_classes - 1}], got {num_targets!r}')
    matrix = np.eye(num_classes) * (1 - rate)
    for c in range(num_classes):
        others = np.delete(np.arange(num_classes), c)
        targets = rng.choice(others, size=num_targets, replace=False)
        matrix[c, targets] = rate / num_targets
    return matrix


@register_noise('random_flip')
def random_flip(labels: np.ndarray,
                num_classes: int,
                rng: np.random.Generator,
                *,
                rate: float,
                num_targets: int = 1) -> np.ndarray:
    """Flip each label with probability ``rate`` to random target classes.

    Meta-Weight-Net (``MW-Net.py``): every class gets ``num_targets``
    distinct other classes, drawn at random once (``flip``: 1, ``flip2``: 2),
    and each sample moves to one of them with probability ``rate``
    (``rate / num_targets`` each), per sample. A flipped label never equals
    the true one.

    Args:
        labels (np.ndarray): Clean labels, shape (N,).
        num_classes (int): Number of classes C.
        rng (np.random.Generator): Random generator.
        rate (float): Noise rate in [0, 1).
        num_targets (int): Target classes per class. Defaults to 1.

    Returns:
        np.ndarray: Noisy labels.
    """
    labels = check_labels(labels, num_classes)
    rate = check_rate(rate)
    matrix = random_flip_matrix(num_classes, rate, num_targets, rng)
    cumulative = np.cumsum(matrix, axis=1)[labels]
    draws = rng.random(labels.size)[:, None]
    noisy = (draws > cumulative).sum(axis=1)
    return np.minimum(noisy, num_classes - 1).astype(np.int64)
