# Copyright (c) lnl_mm contributors. All rights reserved.
"""Symmetric (uniform) label noise, in its two common definitions.

The literature uses one name for different procedures (``docs/noise.md``).
We name them apart:

* ``symmetric``: exactly ``floor(rate * n_c)`` samples of every class ``c``
  are flipped, each to a class drawn uniformly from the *other* ``C - 1``
  classes. The realised rate is exact and a flipped label never equals the
  true one (ALFs / APL CIFAR protocol, per class instead of ``int(n / C)``
  per class so that imbalanced data keep the nominal rate in every class).
  With ``exact=False`` every sample flips independently with probability
  ``rate`` instead (ALFs MNIST, GLS CIFAR-10: a draw from the symmetric
  transition matrix), the same expected rate.
* ``symmetric_inclusive``: every sample independently, with probability
  ``rate``, receives a class drawn uniformly from *all* ``C`` classes
  (MW-Net ``unif``, Dynamic Loss). The expected realised flip rate is
  ``rate * (1 - 1 / C)``.
"""
import numpy as np

from .registry import check_labels, check_rate, register_noise


def exact_per_class_selection(labels: np.ndarray, num_classes: int,
                              rate: float,
                              rng: np.random.Generator) -> np.ndarray:
    """Indices of ``floor(rate * n_c)`` samples of each class, uniformly.

    Args:
        labels (np.ndarray): Clean labels, shape (N,).
        num_classes (int): Number of classes C.
        rate (float): Fraction of each class to select.
        rng (np.random.Generator): Random generator.

    Returns:
        np.ndarray: Sorted int64 indices of the selected samples.
    """
    order = np.argsort(labels, kind='stable')
    counts = np.bincount(labels, minlength=num_classes)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    chosen = []
    for c in range(num_classes):
        k = int(rate * counts[c])
        if k == 0:
            continue
        members = order[starts[c]:starts[c] + counts[c]]
        chosen.append(rng.choice(members, size=k, replace=False))
    if not chosen:
        return np.zeros(0, dtype=np.int64)
    return np.sort(np.concatenate(chosen)).astype(np.int64)


def per_sample_selection(labels: np.ndarray, rate: float,
                         rng: np.random.Generator) -> np.ndarray:
    """Indices of the samples that flip, each independently with
    probability ``rate`` (sorted int64)."""
    return np.flatnonzero(rng.random(labels.size) < rate).astype(np.int64)


def check_exact(exact) -> bool:
    """``noise.exact`` must be a bool."""
    if not isinstance(exact, (bool, np.bool_)):
        raise TypeError(f'noise.exact must be True (an exact count per class) '
                        f'or False (per-sample draws), got noise.exact='
                        f'{exact!r}')
    return bool(exact)


def flip_to_other_classes(labels: np.ndarray, idx: np.ndarray,
                          num_classes: int,
                          rng: np.random.Generator) -> np.ndarray:
    """A copy of ``labels`` with ``idx`` moved uniformly to another class."""
    noisy = labels.copy()
    # An offset in [1, C-1] added modulo C is uniform over the other classes.
    offset = rng.integers(1, num_classes, size=idx.size)
    noisy[idx] = (labels[idx] + offset) % num_classes
    return noisy


@register_noise('symmetric')
def symmetric(labels: np.ndarray,
              num_classes: int,
              rng: np.random.Generator,
              *,
              rate: float,
              exact: bool = True) -> np.ndarray:
    """Flip ``rate`` of the labels of every class to another class.

    Args:
        labels (np.ndarray): Clean labels, shape (N,).
        num_classes (int): Number of classes C.
        rng (np.random.Generator): Random generator.
        rate (float): Noise rate in [0, 1).
        exact (bool): Exactly ``floor(rate * n_c)`` labels per class
            (default), or each label independently with probability
            ``rate`` (the per-sample draws of ALFs' MNIST and GLS's
            CIFAR-10 code).

    Returns:
        np.ndarray: Noisy labels; a flipped label is uniform over the
        ``C - 1`` other classes and never the true class.
    """
    labels = check_labels(labels, num_classes)
    rate = check_rate(rate)
    idx = exact_per_class_selection(labels, num_classes, rate, rng) \
        if check_exact(exact) else per_sample_selection(labels, rate, rng)
    return flip_to_other_classes(labels, idx, num_classes, rng)


@register_noise('symmetric_inclusive')
def symmetric_inclusive(labels: np.ndarray,
                        num_classes: int,
                        rng: np.random.Generator,
                        *,
                        rate: float,
                        exact: bool = False) -> np.ndarray:
    """Resample labels uniformly over all C classes (the true one included).

    Args:
        labels (np.ndarray): Clean labels, shape (N,).
        num_classes (int): Number of classes C.
        rng (np.random.Generator): Random generator.
        rate (float): Resampling probability in [0, 1).
        exact (bool): Resample exactly ``int(rate * N)`` samples drawn over
            the whole set (DivideMix's and ELR's CIFAR code: the first
            ``int(r N)`` of a permutation, each given ``randint(C)``)
            instead of each sample with probability ``rate`` (MW-Net
            ``unif``, Dynamic Loss). Defaults to False.

    Returns:
        np.ndarray: Noisy labels. A resampled label may equal the true one,
        so the expected flip rate is ``rate * (1 - 1 / C)``.
    """
    labels = check_labels(labels, num_classes)
    rate = check_rate(rate)
    noisy = labels.copy()
    if check_exact(exact):
        resample = rng.choice(
            labels.size, size=int(rate * labels.size), replace=False)
    else:
        resample = np.flatnonzero(rng.random(labels.size) < rate)
    noisy[resample] = rng.integers(0, num_classes, size=resample.size)
    return noisy


@register_noise('symmetric_global')
def symmetric_global(labels: np.ndarray, num_classes: int,
                     rng: np.random.Generator, *, rate: float) -> np.ndarray:
    """Flip exactly ``int(rate * N)`` labels chosen over the whole set.

    The ISIC reweighting seed's procedure: the first ``int(N * rate)`` rows
    of a shuffled list, i.e. a uniformly random subset of that size (not a
    per-class count), each flipped to a class drawn uniformly from the other
    ``C - 1``. With the 8 ISIC training classes the noise never lands on the
    empty ``UNK`` class; ``ISIC2019(include_unk=True)`` (9 classes) gives
    the seed's behaviour, where it can.

    Args:
        labels (np.ndarray): Clean labels, shape (N,).
        num_classes (int): Number of classes C.
        rng (np.random.Generator): Random generator.
        rate (float): Noise rate in [0, 1).

    Returns:
        np.ndarray: Noisy labels; exactly ``int(rate * N)`` differ.
    """
    labels = check_labels(labels, num_classes)
    rate = check_rate(rate)
    idx = rng.choice(labels.size, size=int(rate * labels.size), replace=False)
    return flip_to_other_classes(labels, idx, num_classes, rng)
