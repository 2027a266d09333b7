# Copyright (c) lnl_mm contributors. All rights reserved.
"""The anchor-point estimator: it recovers a known T on a synthetic problem,
the outlier filter is what keeps one overconfident sample from spoiling a
row, the official in-place side effect on request, the error measures."""
import numpy as np
import pytest

from lnl_mm.evaluation import (anchor_transition, realised_transition,
                               transition_error)

T4 = np.array([[0.6, 0.2, 0.1, 0.1], [0.0, 0.7, 0.3, 0.0],
               [0.1, 0.0, 0.8, 0.1], [0.25, 0.0, 0.0, 0.75]])


def _noisy_posteriors(n_per_class=500, seed=0, max_delta=0.1):
    """p(given | x) = q(x) T for clean posteriors q near one-hot."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(4):
        delta = rng.uniform(0, max_delta, (n_per_class, 1))
        other = rng.dirichlet(np.ones(4), n_per_class)
        q = (1 - delta) * np.eye(4)[i] + delta * other
        rows.append(q @ T4)
    return np.concatenate(rows)


def test_recovers_a_known_transition():
    probs = _noisy_posteriors()
    kept = probs.copy()
    T, anchors = anchor_transition(probs)
    assert np.array_equal(probs, kept)  # the input is not modified
    assert np.abs(T - T4).max() < 0.02
    assert np.allclose(T.sum(axis=1), 1)
    # each anchor is a sample of its own class (500 per class, in order)
    assert (anchors // 500 == np.arange(4)).all()
    T_max, _ = anchor_transition(probs, filter_outlier=False)
    assert np.abs(T_max - T4).max() < 0.005  # the purest sample of each


def test_the_outlier_filter_ignores_an_overconfident_sample():
    probs = _noisy_posteriors()
    probs[7] = [1.0, 0.0, 0.0, 0.0]  # e.g. a memorised mislabelled sample
    T_max, anchors = anchor_transition(probs, filter_outlier=False)
    assert anchors[0] == 7 and T_max[0, 0] == 1.0  # row 0 is spoiled
    T, anchors = anchor_transition(probs)
    assert anchors[0] != 7 and np.abs(T - T4).max() < 0.02


def _official_loop(probs, percentile):
    """The official estimator's loop re-derived: the filtered column is a
    view of the prediction array, so the zeros stay for the later rows."""
    eta = probs.copy()
    T = np.empty((eta.shape[1], ) * 2)
    for i in range(eta.shape[1]):
        col = eta[:, i]  # a view
        col[col >= np.percentile(col, percentile, method='higher')] = 0.0
        T[i] = eta[np.argmax(col)]
    return T / T.sum(axis=1, keepdims=True)


def test_the_official_in_place_side_effect_on_request():
    probs = np.random.default_rng(4).dirichlet(np.full(10, 0.3), 40)
    official = anchor_transition(probs, official_inplace=True)[0]
    assert np.allclose(official, _official_loop(probs, 97))
    fixed = anchor_transition(probs)[0]
    assert not np.allclose(fixed, official)  # the side effect matters here
    # without it, each row is the anchor's own prediction, renormalised
    _, anchors = anchor_transition(probs)
    assert np.allclose(
        fixed, probs[anchors] / probs[anchors].sum(axis=1, keepdims=True))


def test_percentile_is_an_observed_value():
    # 'higher': the 97th percentile of 0..99 / 100 is 0.97 (not 0.9603);
    # the anchor is the largest value strictly below it
    col = np.arange(100) / 100
    probs = np.stack([col, 1 - col], axis=1)
    _, anchors = anchor_transition(probs, row_normalize=False)
    assert anchors[0] == 96 and anchors[1] == 3


def test_realised_transition_and_error():
    T = realised_transition([[0.5, 0.5, 0], [None, None, None], [0, 0, 1]])
    assert np.array_equal(T, [[0.5, 0.5, 0], [0, 1, 0], [0, 0, 1]])
    est = np.array([[0.6, 0.4, 0], [0, 1, 0], [0, 0.2, 0.8]])
    err = transition_error(est, T)
    assert err['max_abs_error'] == pytest.approx(0.2)
    assert err['mean_abs_error'] == pytest.approx(0.6 / 9)
    assert err['relative_frobenius_error'] == pytest.approx(
        np.sqrt(0.1**2 * 2 + 0.2**2 * 2) / np.sqrt(0.5 + 2))
    assert err['realised_noise_rate'] == pytest.approx(0.5 / 3)
    assert err['estimated_noise_rate'] == pytest.approx(0.6 / 3)


def test_no_anchor_is_an_error_not_sample_zero():
    # every value of column 1 is at its percentile: all filtered
    probs = np.array([[0.5, 0.5], [0.5, 0.5], [0.6, 0.5]])
    with pytest.raises(ValueError, match='no anchor for class 1'):
        anchor_transition(probs)


@pytest.mark.parametrize('probs, kwargs, match', [
    (np.ones(5), {}, r'\(N, C\) with C >= 2'),
    (np.full((3, 2), np.nan), {}, 'finite and >= 0'),
    (np.full((3, 2), 0.5), dict(percentile=0), 'percentile must be in'),
])
def test_bad_inputs(probs, kwargs, match):
    with pytest.raises(ValueError, match=match):
        anchor_transition(probs, **kwargs)
