# Copyright (c) lnl_mm contributors. All rights reserved.
import numpy as np
import pytest

from lnl_mm.datasets.noise import (make_noisy_labels, noise_statistics,
                                   stats_transition)


def test_transition_matches_matrix_within_binomial_bound(balanced):
    T = np.array([[0.7, 0.2, 0.1], [0.0, 1.0, 0.0], [0.25, 0.25, 0.5]])
    n = 20000
    labels = balanced(3, n)
    noisy = make_noisy_labels(labels, 3, dict(type='transition', matrix=T), 0)
    R = np.array(noise_statistics(labels, noisy, 3)['transition_matrix'])
    bound = 5 * np.sqrt(T * (1 - T) / n) + 1e-12
    assert (np.abs(R - T) <= bound).all()
    assert R[1, 1] == 1.0  # a zero-probability cell is never hit


@pytest.mark.parametrize('matrix, msg', [
    ([[1.0, 0.0], [0.5, 0.6]], 'rows must sum to 1'),
    ([[1.0, 0.0]], r'shape \(2, 2\)'),
    ([[1.5, -0.5], [0.0, 1.0]], 'negative'),
])
def test_transition_rejects_bad_matrix(balanced, matrix, msg):
    with pytest.raises(ValueError, match=msg):
        make_noisy_labels(
            balanced(2, 5), 2, dict(type='transition', matrix=matrix), 0)


def test_instance_rate_never_true_and_feature_dependent(balanced):
    rng = np.random.default_rng(0)
    labels = balanced(10, 2000)
    feats = rng.normal(size=(labels.size, 64)) + labels[:, None]
    cfg = dict(type='instance', rate=0.4)
    noisy = make_noisy_labels(labels, 10, cfg, 0, features=feats)
    flipped = noisy != labels
    # E[rate] = 0.4; variance of a mixture of Bernoulli(q_i) ≤ 0.25 / n,
    # plus the spread of the mean of q_i (std 0.1 / sqrt(n)).
    assert abs(flipped.mean() - 0.4) < 5 * np.sqrt(0.25 / labels.size) + 0.01
    again = make_noisy_labels(labels, 10, cfg, 0, features=feats)
    np.testing.assert_array_equal(noisy, again)
    # feature dependence: flips of a class concentrate on few targets
    # (a softmax over large projections), unlike uniform symmetric noise.
    T = np.array(noise_statistics(labels, noisy, 10)['transition_matrix'])
    off = np.where(np.eye(10, dtype=bool), 0, T)
    assert (off.max(axis=1) > 0.4 / 9 * 1.5).all()


def test_instance_requires_features(balanced):
    with pytest.raises(ValueError, match='features'):
        make_noisy_labels(
            balanced(3, 10), 3, dict(type='instance', rate=0.2), 0)


def test_ragged_matrix_names_the_option_and_row_lengths():
    labels = np.zeros(10, dtype=np.int64)
    with pytest.raises(
            ValueError,
            match=r'noise.matrix must be a \(3, 3\) '
            r'matrix of numbers; got rows of lengths \[3, 2, 3\]'):
        make_noisy_labels(
            labels, 3,
            dict(type='transition', matrix=[[1, 0, 0], [0, 1], [0, 0, 1]]), 0)


def test_stats_transition_round_trips_the_manifest_matrix():
    # class 1 has no sample: its row is written as None and read back as
    # the identity row; the others are the realised frequencies
    clean = np.array([0, 0, 0, 0, 2, 2])
    noisy = np.array([0, 1, 2, 0, 2, 0])
    written = noise_statistics(clean, noisy, 3)['transition_matrix']
    assert written[1] == [None, None, None]
    T = stats_transition(written)
    assert T.dtype == np.float64
    assert np.array_equal(T, [[0.5, 0.25, 0.25], [0, 1, 0], [0.5, 0, 0.5]])
