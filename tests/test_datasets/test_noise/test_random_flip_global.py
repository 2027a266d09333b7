# Copyright (c) lnl_mm contributors. All rights reserved.
"""MW-Net's random-target flips and the ISIC seed's global symmetric
noise."""
import numpy as np
import pytest

from lnl_mm.datasets.noise import make_noisy_labels
from lnl_mm.datasets.noise.random_flip import random_flip_matrix


@pytest.mark.parametrize('num_targets', [1, 2])
def test_random_flip_rates_and_targets(num_targets):
    labels = np.repeat(np.arange(10), 5000)
    noisy = make_noisy_labels(
        labels, 10,
        dict(type='random_flip', rate=0.4, num_targets=num_targets), 0)
    sd = np.sqrt(0.4 * 0.6 / 5000)
    for c in range(10):
        got = noisy[labels == c]
        flipped = got[got != c]
        assert abs(flipped.size / 5000 - 0.4) < 4 * sd
        targets, counts = np.unique(flipped, return_counts=True)
        assert targets.size == num_targets and c not in targets
        if num_targets == 2:  # each target gets half
            assert abs(counts[0] / flipped.size -
                       0.5) < 4 * np.sqrt(0.25 / flipped.size)


def test_random_flip_matrix_rows():
    m = random_flip_matrix(5, 0.3, 2, np.random.default_rng(0))
    np.testing.assert_allclose(m.sum(1), 1)
    np.testing.assert_allclose(np.diag(m), 0.7)
    assert ((m > 0).sum(1) == 3).all()
    with pytest.raises(ValueError, match='num_targets'):
        random_flip_matrix(5, 0.3, 5, np.random.default_rng(0))


def test_symmetric_global_exact_count_over_the_set():
    # Imbalanced like ISIC: the count is over the set, not per class.
    labels = np.repeat(np.arange(8), [910, 2495, 657, 191, 514, 52, 50, 131])
    for rate in (0.2, 0.4):
        noisy = make_noisy_labels(labels, 8,
                                  dict(type='symmetric_global', rate=rate), 1)
        assert (noisy != labels).sum() == int(rate * 5000)
        assert noisy.max() <= 7  # never the empty 9th (UNK) class
    noisy9 = make_noisy_labels(labels, 9,
                               dict(type='symmetric_global', rate=0.4), 1)
    assert (noisy9 == 8).any()  # include_unk=True: UNK can receive noise
    with pytest.raises(ValueError, match='noise.rate'):
        make_noisy_labels(labels, 8, dict(type='symmetric_global', rate=1.0),
                          0)
