# Copyright (c) lnl_mm contributors. All rights reserved.
"""DivideMix's division: normalisation, the mixture, the diagnostics."""
import numpy as np
import pytest

from lnl_mm.models.selection import (clean_probability, division_stats,
                                     min_max_normalize)


def test_min_max():
    np.testing.assert_allclose(min_max_normalize([2.0, 4.0, 3.0]), [0, 1, 0.5])
    assert min_max_normalize([1.0, 1.0]).tolist() == [0.0, 0.0]
    with pytest.raises(ValueError, match='finite'):
        min_max_normalize([1.0, np.nan])


def test_mixture_recovers_the_clean_set():
    rng = np.random.default_rng(0)
    clean = rng.random(2000) < 0.6
    losses = np.where(clean, rng.normal(0.3, 0.15, 2000),
                      rng.normal(2.5, 0.4, 2000)).clip(0)
    prob = clean_probability(min_max_normalize(losses), seed=0)
    chosen = prob > 0.5
    assert (chosen == clean).mean() > 0.99
    # seeded: the same division again; the posterior is of the low mean
    np.testing.assert_array_equal(
        prob, clean_probability(min_max_normalize(losses), seed=0))
    assert prob[np.argmin(losses)] > 0.99 and prob[np.argmax(losses)] < 0.01


def test_mixture_uses_the_official_settings(monkeypatch):
    import sklearn.mixture
    seen = {}
    original = sklearn.mixture.GaussianMixture

    class Spy(original):

        def __init__(self, **kwargs):
            seen.update(kwargs)
            super().__init__(**kwargs)

    monkeypatch.setattr(sklearn.mixture, 'GaussianMixture', Spy)
    clean_probability(np.linspace(0, 1, 50), seed=3)
    assert seen == dict(
        n_components=2, max_iter=10, tol=1e-2, reg_covar=5e-4, random_state=3)


def test_division_stats_by_hand():
    prob = np.array([0.9, 0.8, 0.2, 0.7, 0.1])
    is_clean = np.array([True, False, True, True, False])
    s = division_stats(prob, 0.5, is_clean)
    assert s['labeled'] == 3 and s['noisy_in_labeled'] == 1
    assert s['precision'] == pytest.approx(200 / 3)
    assert s['recall'] == pytest.approx(200 / 3)
    # AUC: pairs (clean, noisy) ranked right: 0.9>0.8, 0.9>0.1, 0.2<0.8,
    # 0.2>0.1, 0.7<0.8, 0.7>0.1 -> 4 / 6
    assert s['auc'] == pytest.approx(400 / 6)
    with pytest.raises(ValueError, match='at least 2'):
        clean_probability(np.array([0.5]))
