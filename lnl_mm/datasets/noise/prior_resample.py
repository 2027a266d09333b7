# Copyright (c) lnl_mm contributors. All rights reserved.
"""Dynamic Loss's noise for imbalanced data: resample from the class prior."""
import numpy as np

from .registry import check_labels, check_rate, register_noise


@register_noise('prior_resample')
def prior_resample(labels: np.ndarray, num_classes: int,
                   rng: np.random.Generator, *, rate: float) -> np.ndarray:
    r"""Resample each label, with probability ``rate``, from the class prior.

    The transition matrix is :math:`(1 - r) I + r\,\mathbf 1 \pi^\top` with
    :math:`\pi` the class frequencies of ``labels`` (Dynamic Loss's noisy
    and imbalanced CIFAR). Wrap a :class:`LongTailDataset` so that the
    imbalance comes first and the noise follows the long-tailed prior: a
    head-class label is then the most likely replacement, and a resampled
    label may equal the true one (expected flip rate
    :math:`r (1 - \sum_c \pi_c^2)`).

    Args:
        labels (np.ndarray): Clean labels, shape (N,).
        num_classes (int): Number of classes C.
        rng (np.random.Generator): Random generator.
        rate (float): Resampling probability in [0, 1).

    Returns:
        np.ndarray: Noisy labels.
    """
    labels = check_labels(labels, num_classes)
    rate = check_rate(rate)
    prior = np.bincount(labels, minlength=num_classes) / labels.size
    noisy = labels.copy()
    resample = rng.random(labels.size) < rate
    noisy[resample] = rng.choice(
        num_classes, size=int(resample.sum()), p=prior)
    return noisy
