# Copyright (c) lnl_mm contributors. All rights reserved.
"""The forget-rate schedule and the small-loss selection, by hand."""
import numpy as np
import pytest
import torch

from lnl_mm.models.selection import (check_forget_rate, forget_rate_at,
                                     global_small_loss_mask, num_remembered,
                                     small_loss_mask)


def official_rate_schedule(tau, n_epoch=200, num_gradual=10, exponent=1):
    """The official array (bhanML/Co-teaching main.py), re-derived: tau
    everywhere, its first num_gradual entries linspace(0, tau**c, T_k)."""
    plan = np.ones(n_epoch) * tau
    plan[:num_gradual] = np.linspace(0, tau**exponent, num_gradual)
    return plan


@pytest.mark.parametrize('tau', [0.2, 0.45, 0.8])
@pytest.mark.parametrize('exponent', [1, 2])
def test_official_schedule_is_the_official_array(tau, exponent):
    plan = official_rate_schedule(tau, exponent=exponent)
    # the official loop runs epochs 1..199 and reads plan[epoch]
    for k in range(199):
        assert forget_rate_at(k, tau, 10, exponent) == pytest.approx(
            plan[k + 1], abs=1e-15)


@pytest.mark.parametrize('tau', [0.2, 0.45, 0.5, 0.8])
def test_kept_counts_equal_the_official_for_every_batch_size(tau):
    """int((1 - rate) * n) flips at integers: the rate must be the official
    float to the last bit (e.g. tau 0.8 at epoch 6 with n = 15)."""
    plan = official_rate_schedule(tau)
    for k in range(12):
        for n in range(1, 257):
            assert num_remembered(n, forget_rate_at(k, tau)) == int(
                (1 - plan[k + 1]) * n), (k, n)


def test_hand_values():
    assert forget_rate_at(0, 0.9) == pytest.approx(0.1)  # tau / 9
    assert forget_rate_at(8, 0.9) == pytest.approx(0.9)  # reached at e = 9
    assert forget_rate_at(0, 0.5, schedule='paper') == pytest.approx(0.05)
    assert forget_rate_at(9, 0.5, schedule='paper') == pytest.approx(0.5)
    assert forget_rate_at(50, 0.5, schedule='paper') == pytest.approx(0.5)
    # c = 2 in the paper's form is an exponent on T / T_k
    assert forget_rate_at(4, 0.5, 10, 2, 'paper') == pytest.approx(0.125)


def test_counts_floor_as_the_official_code():
    assert num_remembered(128, 0.2) == 102  # int(0.8 * 128) = int(102.4)
    assert num_remembered(128, 0.0) == 128
    assert num_remembered(3, 0.5) == 1


def test_small_loss_mask_keeps_the_smallest():
    losses = torch.tensor([0.5, 0.1, 0.9, 0.3, 0.3])
    assert small_loss_mask(losses,
                           3).tolist() == [False, True, False, True, True]
    assert small_loss_mask(losses, 0).sum() == 0


def test_global_mask_with_candidates_and_the_empty_rule():
    losses = torch.tensor([0.5, 0.1, 0.9, 0.3])
    cand = torch.tensor([True, False, True, False])
    # 2 candidates, forget 0.5: int(1.0) = 1 kept, the smaller of 0.5 / 0.9
    assert global_small_loss_mask(
        losses, 0.5, cand).tolist() == [True, False, False, False]
    one = torch.tensor([False, False, True, False])
    assert global_small_loss_mask(losses, 0.5, one).sum() == 0
    assert global_small_loss_mask(
        losses, 0.5, one,
        keep_all_if_none=True).tolist() == [False, False, True, False]


@pytest.mark.parametrize('bad', [-0.1, 1.0, 1.5, 'half', True, None])
def test_bad_forget_rate(bad):
    with pytest.raises(ValueError, match='forget_rate must be a number in'):
        check_forget_rate(bad)


def test_bad_schedule_arguments():
    with pytest.raises(ValueError, match="schedule must be one of"):
        forget_rate_at(0, 0.5, schedule='linear')
    with pytest.raises(ValueError, match='num_gradual must be an int >= 1'):
        forget_rate_at(0, 0.5, num_gradual=0)
    with pytest.raises(ValueError, match='exponent must be a number > 0'):
        forget_rate_at(0, 0.5, exponent=-1)
