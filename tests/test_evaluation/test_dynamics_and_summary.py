# Copyright (c) lnl_mm contributors. All rights reserved.
import math

import numpy as np
import pytest

from lnl_mm.evaluation import epoch_dynamics, per_sample_ce, summarize_history


def test_per_sample_ce_exact_margin():
    # ±1000 logits: CE equals the logit margin exactly (mmpretrain's trick)
    logits = np.array([[-1000.0, 1000.0], [100.0, -100.0], [0.0, 0.0]])
    np.testing.assert_allclose(
        per_sample_ce(logits, np.array([0, 1, 0])),
        [2000.0, 200.0, math.log(2)])


def test_epoch_dynamics_hand_case():
    # 4 samples: 0, 1 clean; 2, 3 noisy (given 1, true 0)
    given = np.array([0, 1, 1, 1])
    clean = np.array([0, 1, 0, 0])
    logits = np.array([[5.0, 0], [0, 5.0], [0, 5.0], [5.0, 0]])
    d = epoch_dynamics(logits, given, clean)
    assert d['acc_given'] == 0.75  # 3 predictions match given
    assert d['acc_clean'] == 0.75  # 3 match clean
    assert d['clean_fit'] == 1.0
    assert d['noisy_memorized'] == 0.5  # sample 2 fits its wrong label
    assert d['noisy_corrected'] == 0.5  # sample 3 predicts the truth
    assert d['noise_rate_seen'] == 0.5
    small = math.log1p(math.exp(-5))
    assert d['clean_loss'] == pytest.approx(small)
    assert d['noisy_loss'] == pytest.approx((small + 5 + small) / 2)


def test_epoch_dynamics_without_clean_labels():
    d = epoch_dynamics(np.eye(3), np.array([0, 1, 0]))
    assert set(d) == {'num_samples', 'acc_given', 'loss_given'}
    assert d['acc_given'] == pytest.approx(2 / 3)


def test_summarize_history():
    h = [(1, 10.0), (2, 50.0), (3, 40.0), (4, 30.0)]
    s = summarize_history(h, last_k=3)
    assert (s['best'], s['best_epoch']) == (50.0, 2)
    assert (s['last'], s['last_epoch']) == (30.0, 4)
    assert s['mean_last_k'] == pytest.approx(40.0)
    assert s['std_last_k'] == pytest.approx(math.sqrt(200 / 3))
    assert summarize_history(h, last_k=10)['k'] == 4
    assert summarize_history([], 3) == dict(num_evaluations=0)
    with pytest.raises(ValueError, match='last_k=0'):
        summarize_history(h, last_k=0)
