# Copyright (c) lnl_mm contributors. All rights reserved.
"""Instance-dependent label noise from features (part-dependent style).

The procedure of Xia et al., `Part-dependent Label Noise: Towards
Instance-dependent Label Noise <https://arxiv.org/abs/2006.07836>`_
(NeurIPS 2020), as used by most instance-dependent benchmarks:

1. every sample draws its own flip rate
   :math:`q_i \\sim \\mathcal{N}(\\eta, \\sigma^2)` truncated to [0, 1];
2. every class ``c`` draws a random projection
   :math:`W_c \\in \\mathbb{R}^{D \\times C}` with standard normal entries;
3. with standardised features :math:`x_i` the flip distribution is

   .. math::
       p_i = q_i \\cdot \\mathrm{softmax}_{j \\ne y_i}(x_i^\\top W_{y_i}),
       \\qquad p_{i, y_i} = 1 - q_i

   and :math:`\\tilde y_i \\sim p_i`.

So the expected overall rate is :math:`\\mathbb{E}[q_i] = \\eta` (for
``rate`` away from 0 and 1, where the truncation is symmetric) and which
wrong class a sample moves to depends on its features.
"""
import numpy as np

from .registry import check_labels, check_rate, register_noise
from .transition import sample_from_rows

#: Standard deviation of the per-sample flip rate (Xia et al. use 0.1).
DEFAULT_RATE_STD = 0.1
#: Features with a smaller standard deviation are left unscaled.
FEATURE_STD_EPS = 1e-8


def truncated_normal(mean: float,
                     std: float,
                     size: int,
                     rng: np.random.Generator,
                     low: float = 0.0,
                     high: float = 1.0) -> np.ndarray:
    """Sample a normal truncated to [low, high] by resampling."""
    out = rng.normal(mean, std, size)
    bad = (out < low) | (out > high)
    while bad.any():
        out[bad] = rng.normal(mean, std, int(bad.sum()))
        bad = (out < low) | (out > high)
    return out


@register_noise('instance')
def instance(labels: np.ndarray,
             num_classes: int,
             rng: np.random.Generator,
             *,
             rate: float,
             features: np.ndarray,
             rate_std: float = DEFAULT_RATE_STD) -> np.ndarray:
    """Instance-dependent noise; see the module docstring for the maths.

    Args:
        labels (np.ndarray): Clean labels, shape (N,).
        num_classes (int): Number of classes C.
        rng (np.random.Generator): Random generator.
        rate (float): Mean flip rate in [0, 1).
        features (np.ndarray): Per-sample features, shape (N, ...); they are
            flattened and standardised per dimension.
        rate_std (float): Std of the per-sample flip rate. Defaults to 0.1,
            as in Xia et al.

    Returns:
        np.ndarray: Noisy labels, never equal to the true label when flipped.
    """
    labels = check_labels(labels, num_classes)
    rate = check_rate(rate)
    if rate_std < 0:
        raise ValueError(f'noise.rate_std must be >= 0, got {rate_std}')
    X = np.asarray(features, dtype=np.float32).reshape(labels.size, -1)
    X = X - X.mean(axis=0)
    X /= np.maximum(X.std(axis=0), FEATURE_STD_EPS)
    q = truncated_normal(rate, rate_std, labels.size, rng) \
        if rate_std > 0 else np.full(labels.size, rate)
    W = rng.standard_normal((num_classes, X.shape[1], num_classes),
                            dtype=np.float32)
    logits = np.empty((labels.size, num_classes), dtype=np.float64)
    for c in range(num_classes):
        members = np.flatnonzero(labels == c)
        logits[members] = X[members] @ W[c]
    rows = np.arange(labels.size)
    logits[rows, labels] = -np.inf
    logits -= logits.max(axis=1, keepdims=True)
    probs = np.exp(logits)
    probs *= (q / probs.sum(axis=1))[:, None]
    probs[rows, labels] = 1.0 - q
    return sample_from_rows(probs, rng)
