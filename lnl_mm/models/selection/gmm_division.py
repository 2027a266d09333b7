# Copyright (c) lnl_mm contributors. All rights reserved.
"""DivideMix's division of the training set: a two-component Gaussian
mixture on the per-sample losses."""
import warnings
from typing import Optional

import numpy as np

#: The official ``GaussianMixture`` settings (``Train_cifar.py``).
GMM_KWARGS = dict(n_components=2, max_iter=10, tol=1e-2, reg_covar=5e-4)


def min_max_normalize(losses: np.ndarray) -> np.ndarray:
    """``(l - min l) / (max l - min l)``, in float64 (all zeros when every
    loss is equal)."""
    losses = np.asarray(losses, dtype=np.float64).reshape(-1)
    if losses.size == 0:
        raise ValueError('min_max_normalize: no losses')
    if not np.isfinite(losses).all():
        raise ValueError('min_max_normalize: the losses must be finite')
    span = losses.max() - losses.min()
    if span == 0:
        return np.zeros_like(losses)
    return (losses - losses.min()) / span


def clean_probability(losses: np.ndarray,
                      seed: Optional[int] = None,
                      **gmm_kwargs) -> np.ndarray:
    """Posterior of the low-mean component of a two-component Gaussian
    mixture fitted on ``losses`` (scikit-learn's ``GaussianMixture``, the
    official ``max_iter=10, tol=1e-2, reg_covar=5e-4`` unless overridden).

    The fit stops after ``max_iter`` EM steps by design; scikit-learn's
    ``ConvergenceWarning`` about it is not shown.

    Args:
        losses (np.ndarray): ``(N,)`` normalised per-sample losses.
        seed (int, optional): ``random_state`` of the k-means
            initialisation (the official code leaves it unseeded, so its
            divisions are not reproducible).
        **gmm_kwargs: Overrides of :data:`GMM_KWARGS`.

    Returns:
        np.ndarray: ``(N,)`` float64 clean probabilities ``w_i``.
    """
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.mixture import GaussianMixture
    x = np.asarray(losses, dtype=np.float64).reshape(-1, 1)
    if x.shape[0] < 2:
        raise ValueError('clean_probability: the mixture needs at least 2 '
                         f'losses, got {x.shape[0]}')
    kwargs = {**GMM_KWARGS, **gmm_kwargs}
    gmm = GaussianMixture(random_state=seed, **kwargs)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', ConvergenceWarning)
        gmm.fit(x)
    prob = gmm.predict_proba(x)
    return prob[:, int(np.argmin(gmm.means_.reshape(-1)))]


def division_stats(clean_prob: np.ndarray, threshold: float,
                   is_clean: np.ndarray) -> dict:
    """How well a division separates clean from noisy labels (diagnostic;
    ``is_clean`` comes from the clean labels, which training never reads).

    Returns:
        dict: ``labeled`` (the size of the labelled set), ``noisy_in_labeled``
        (how many of them have a wrong label), ``precision`` (share of
        clean labels in the labelled set, %), ``recall`` (share of the clean
        samples that are labelled, %) and ``auc`` (of ``clean_prob`` as a
        score of cleanness, %).
    """
    from sklearn.metrics import roc_auc_score
    is_clean = np.asarray(is_clean, dtype=bool)
    labeled = np.asarray(clean_prob) > threshold
    hits = int((labeled & is_clean).sum())
    out = dict(
        labeled=int(labeled.sum()),
        noisy_in_labeled=int((labeled & ~is_clean).sum()),
        precision=100.0 * hits / labeled.sum() if labeled.any() else np.nan,
        recall=100.0 * hits / is_clean.sum() if is_clean.any() else np.nan)
    both = is_clean.any() and (~is_clean).any()
    out['auc'] = 100.0 * float(roc_auc_score(is_clean, clean_prob)) \
        if both else float('nan')
    return out
