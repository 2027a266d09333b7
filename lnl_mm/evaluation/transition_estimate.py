# Copyright (c) lnl_mm contributors. All rights reserved.
r"""The anchor-point estimate of the noise transition matrix (Patrini et al.,
CVPR 2017, §4), and its error against the realised matrix.

`Making Deep Neural Networks Robust to Label Noise: a Loss Correction
Approach <https://arxiv.org/abs/1609.03683>`_, official code
``giorgiop/loss-correction`` (``models.py``, ``NoiseEstimator``).

A model trained on the noisy labels estimates :math:`P(\tilde y \mid x)`.
For an *anchor* :math:`x^i` of class :math:`i` (a sample that surely
belongs to :math:`i`), :math:`P(\tilde y = j \mid x^i) = T_{ij}`. The anchor
of class :math:`i` is the training sample with the largest
:math:`\hat p_i(x)`, or, with the outlier filter (the official choice for
every dataset but CIFAR-100), the largest below the 97th percentile of
:math:`\hat p_i` over the training set:

.. math::
    \bar x^i = \arg\max_{x:\ \hat p_i(x) < q_{97}(\hat p_i)} \hat p_i(x),
    \qquad \hat T_{ij} = \hat p_j(\bar x^i),

and each row is renormalised to sum to 1.
"""
from typing import Dict, Optional, Tuple

import numpy as np

from lnl_mm.datasets.noise.stats import stats_transition

#: The official percentile of the outlier filter.
ANCHOR_PERCENTILE = 97.0


def anchor_transition(
        probs: np.ndarray,
        percentile: float = ANCHOR_PERCENTILE,
        filter_outlier: bool = True,
        row_normalize: bool = True,
        official_inplace: bool = False) -> Tuple[np.ndarray, np.ndarray]:
    """The anchor-point estimate of ``T`` from predicted probabilities.

    Args:
        probs (np.ndarray): ``(N, C)`` predicted probabilities of the noisy
            labels on the training samples.
        percentile (float): The filter's percentile in (0, 100], taken with
            NumPy's ``method='higher'`` (an observed value), as officially.
            Defaults to 97.
        filter_outlier (bool): Take the largest ``p_i`` strictly below the
            percentile instead of the largest. Defaults to True.
        row_normalize (bool): Renormalise the rows. Defaults to True.
        official_inplace (bool): Reproduce the official code's side effect:
            it zeroes the filtered values of column ``i`` *in the prediction
            array itself* (``robust_eta`` is a view), so the rows of later
            classes read zeros there. Defaults to False (a bug: the
            estimate then depends on the class order).

    Returns:
        tuple[np.ndarray, np.ndarray]: ``T`` ``(C, C)`` float64 and the
        anchor index of each class ``(C,)``.
    """
    eta = np.array(probs, dtype=np.float64)  # a copy: the input is kept
    if eta.ndim != 2 or eta.shape[1] < 2 or eta.shape[0] < 1:
        raise ValueError(f'anchor_transition: probs must be (N, C) with '
                         f'C >= 2, got shape {eta.shape}')
    if not np.isfinite(eta).all() or (eta < 0).any():
        raise ValueError('anchor_transition: probs must be finite and >= 0')
    if not 0 < percentile <= 100:
        raise ValueError(f'anchor_transition: percentile must be in (0, '
                         f'100], got percentile={percentile!r}')
    num_classes = eta.shape[1]
    T = np.empty((num_classes, num_classes))
    anchors = np.empty(num_classes, dtype=np.int64)
    for i in range(num_classes):
        column = eta[:, i] if official_inplace else eta[:, i].copy()
        if filter_outlier:
            threshold = np.percentile(column, percentile, method='higher')
            column[column >= threshold] = 0.0
        if not column.max() > 0:
            raise ValueError(
                f'anchor_transition: no anchor for class {i}: every '
                f'probability of the class is 0 or at its {percentile}th '
                'percentile (too few samples, or ties); use '
                'filter_outlier=False or more samples')
        anchors[i] = int(np.argmax(column))
        T[i] = eta[anchors[i]]
    if row_normalize:
        sums = T.sum(axis=1, keepdims=True)
        if (sums <= 0).any():
            raise ValueError('anchor_transition: an anchor row sums to 0 '
                             '(all its probabilities were filtered)')
        T = T / sums
    return T, anchors


def realised_transition(matrix) -> np.ndarray:
    """The manifest's ``transition_matrix`` as float64, an empty class's row
    (``None``) read as the identity row (that class is never relabelled)."""
    return stats_transition(matrix)


def transition_error(estimate: np.ndarray,
                     realised: np.ndarray) -> Dict[str, float]:
    """How far an estimated ``T`` is from the realised one: the mean and
    largest absolute entry error, the relative Frobenius error
    ``||T^ - T|| / ||T||``, and the noise rates the two imply (the mean
    off-diagonal mass of a row; equal class sizes)."""
    diff = np.abs(estimate - realised)
    return dict(
        mean_abs_error=float(diff.mean()),
        max_abs_error=float(diff.max()),
        relative_frobenius_error=float(
            np.linalg.norm(estimate - realised) / np.linalg.norm(realised)),
        estimated_noise_rate=float(1 - np.trace(estimate) / len(estimate)),
        realised_noise_rate=float(1 - np.trace(realised) / len(realised)))


def transition_summary(estimate: np.ndarray,
                       realised: Optional[np.ndarray] = None) -> str:
    """One log line: the estimate's noise rate and, given the realised
    ``T``, its error."""
    rate = 1 - np.trace(estimate) / len(estimate)
    if realised is None:
        return (f'estimated T: noise rate {rate:.4f} (mean off-diagonal '
                'mass); no clean labels, so no error')
    err = transition_error(estimate, realised)
    return (f'estimated T: noise rate {rate:.4f} (realised '
            f'{err["realised_noise_rate"]:.4f}); error: mean |dT| '
            f'{err["mean_abs_error"]:.4f}, max |dT| '
            f'{err["max_abs_error"]:.4f}, relative Frobenius '
            f'{err["relative_frobenius_error"]:.4f}')
