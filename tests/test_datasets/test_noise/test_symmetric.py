# Copyright (c) lnl_mm contributors. All rights reserved.
import numpy as np
import pytest

from lnl_mm.datasets.noise import make_noisy_labels, noise_statistics
from lnl_mm.datasets.noise.symmetric import symmetric_inclusive


def binomial_bound(n, p, z=5.0):
    """z-sigma half width of a binomial proportion."""
    return z * np.sqrt(p * (1 - p) / n)


@pytest.mark.parametrize('rate', [0.0, 0.2, 0.4, 0.8])
def test_symmetric_exact_per_class_and_never_true(balanced, rate):
    labels = balanced(10, 1000)
    noisy = make_noisy_labels(labels, 10, dict(type='symmetric', rate=rate), 0)
    flipped = noisy != labels
    # exactly floor(rate * 1000) per class
    for c in range(10):
        assert flipped[labels == c].sum() == int(rate * 1000)
    stats = noise_statistics(labels, noisy, 10)
    # diagonal of the realised T is exactly 1 - rate
    assert np.allclose(np.diag(stats['transition_matrix']), 1 - rate)


def test_symmetric_targets_uniform_over_other_classes(balanced):
    labels = balanced(5, 20000)
    noisy = make_noisy_labels(labels, 5, dict(type='symmetric', rate=0.4), 3)
    T = np.array(noise_statistics(labels, noisy, 5)['transition_matrix'])
    off = T[~np.eye(5, dtype=bool)]
    # each off-diagonal entry is 0.4 / 4 = 0.1 in expectation; 8000 flips
    # per class spread over 4 targets.
    assert np.abs(off - 0.1).max() < 5 * np.sqrt(0.1 * 0.9 / 20000) + 1e-9


def test_symmetric_imbalanced_classes_keep_rate():
    labels = np.concatenate([np.zeros(1000),
                             np.ones(10),
                             np.full(7, 2)]).astype(int)
    noisy = make_noisy_labels(labels, 3, dict(type='symmetric', rate=0.5), 0)
    assert (noisy != labels)[labels == 0].sum() == 500
    assert (noisy != labels)[labels == 1].sum() == 5
    assert (noisy != labels)[labels == 2].sum() == 3


def test_symmetric_deterministic_and_seed_dependent(balanced):
    labels = balanced(10, 100)
    cfg = dict(type='symmetric', rate=0.4)
    a = make_noisy_labels(labels, 10, cfg, 7)
    b = make_noisy_labels(labels, 10, cfg, 7)
    c = make_noisy_labels(labels, 10, cfg, 8)
    np.testing.assert_array_equal(a, b)
    assert (a != c).any()


def test_symmetric_inclusive_rate_within_binomial_bound(balanced):
    labels = balanced(10, 10000)
    noisy = make_noisy_labels(labels, 10,
                              dict(type='symmetric_inclusive', rate=0.5), 0)
    realised = (noisy != labels).mean()
    expected = 0.5 * (1 - 1 / 10)  # resampled labels may stay correct
    assert abs(realised - expected) < binomial_bound(labels.size, expected)


def test_symmetric_inclusive_exact_resamples_int_rate_n_samples():
    # DivideMix's / ELR's CIFAR code: the first int(r N) of a permutation,
    # each given randint(C): re-derived with the same generator calls
    labels = np.arange(1001) % 10
    noisy = symmetric_inclusive(
        labels, 10, np.random.default_rng(3), rate=0.4, exact=True)
    rng = np.random.default_rng(3)
    idx = rng.choice(labels.size, size=400, replace=False)
    want = labels.copy()
    want[idx] = rng.integers(0, 10, size=400)
    np.testing.assert_array_equal(noisy, want)
    assert (noisy != labels).sum() <= 400
    # per sample (the default) is the Bernoulli draw, as before
    rng = np.random.default_rng(3)
    mask = rng.random(labels.size) < 0.4
    want = labels.copy()
    want[mask] = rng.integers(0, 10, size=int(mask.sum()))
    np.testing.assert_array_equal(
        symmetric_inclusive(labels, 10, np.random.default_rng(3), rate=0.4),
        want)
    with pytest.raises(TypeError, match='noise.exact must be True'):
        symmetric_inclusive(
            labels, 10, np.random.default_rng(3), rate=0.4, exact='yes')


@pytest.mark.parametrize('rate', [-0.1, 1.0, 1.5])
@pytest.mark.parametrize('kind',
                         ['symmetric', 'symmetric_inclusive', 'pairflip'])
def test_rate_outside_unit_interval_fails(balanced, kind, rate):
    with pytest.raises(ValueError, match=r'noise.rate must be in \[0, 1\)'):
        make_noisy_labels(balanced(3, 10), 3, dict(type=kind, rate=rate), 0)


def test_unknown_noise_type_names_option(balanced):
    with pytest.raises(ValueError, match="noise.type='gaussian'"):
        make_noisy_labels(balanced(3, 10), 3, dict(type='gaussian'), 0)


def test_labels_out_of_range_fail():
    with pytest.raises(ValueError, match='num_classes=3'):
        make_noisy_labels(
            np.array([0, 1, 3]), 3, dict(type='symmetric', rate=0.2), 0)


def test_missing_option_is_reported(balanced):
    with pytest.raises(TypeError, match="noise.type='symmetric'"):
        make_noisy_labels(balanced(3, 10), 3, dict(type='symmetric'), 0)


def test_one_million_labels_quick(balanced):
    labels = np.random.default_rng(0).integers(0, 100, 10**6)
    noisy = make_noisy_labels(labels, 100, dict(type='symmetric', rate=0.4), 0)
    counts = np.bincount(labels, minlength=100)
    flips = np.bincount(labels[noisy != labels], minlength=100)
    np.testing.assert_array_equal(flips, (0.4 * counts).astype(int))


def test_symmetric_per_sample_draws(balanced):
    """exact=False: each label flips with probability rate to one of the
    other classes (ALFs MNIST, GLS CIFAR-10; fidelity A6): the per-class
    counts are binomial, not exact, and never the true class."""
    labels = balanced(10, 5000)
    noisy = make_noisy_labels(labels, 10,
                              dict(type='symmetric', rate=0.4, exact=False), 0)
    flipped = noisy != labels
    per_class = np.array([flipped[labels == c].mean() for c in range(10)])
    assert np.all(np.abs(per_class - 0.4) < 0.035)  # 5 sd of a binomial
    assert len(set(per_class.round(6))) > 1  # not one exact count
    assert abs(flipped.mean() - 0.4) < 0.011
    targets = np.bincount(noisy[flipped & (labels == 0)], minlength=10)
    assert targets[0] == 0 and targets[1:].min() > 0
    with pytest.raises(TypeError, match="noise.exact='no'"):
        make_noisy_labels(labels, 10,
                          dict(type='symmetric', rate=0.4, exact='no'), 0)
