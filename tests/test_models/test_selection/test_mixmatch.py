# Copyright (c) lnl_mm contributors. All rights reserved.
"""DivideMix's MixMatch pieces against hand computations in float64."""
import numpy as np
import pytest
import torch

from lnl_mm.models.selection import (jocor_per_sample_loss, linear_rampup,
                                     mix_coefficient, mixup,
                                     negative_entropy_sum, prior_penalty,
                                     sharpen, soft_cross_entropy_sum,
                                     squared_error_sum, symmetric_kl)


def test_sharpen_by_hand():
    p = torch.tensor([[0.6, 0.3, 0.1]])
    sq = np.array([0.36, 0.09, 0.01])
    np.testing.assert_allclose(
        sharpen(p, 0.5).numpy()[0], sq / sq.sum(), rtol=1e-6)
    # T = 1 is the identity; a tiny probability does not give NaN
    np.testing.assert_allclose(sharpen(p, 1.0).numpy(), p.numpy(), rtol=1e-6)
    z = sharpen(torch.tensor([[1.0, 0.0, 0.0]]), 0.5)
    assert torch.isfinite(z).all() and z[0, 0] == 1
    with pytest.raises(ValueError, match='temperature must be > 0'):
        sharpen(p, 0.0)


def test_mix_coefficient_is_the_larger_side():
    gen = np.random.default_rng(0)
    lams = [mix_coefficient(4.0, gen) for _ in range(200)]
    assert min(lams) >= 0.5 and max(lams) <= 1
    ref = np.random.default_rng(0).beta(4.0, 4.0)
    assert mix_coefficient(4.0, np.random.default_rng(0)) == max(ref, 1 - ref)


def test_mixup_by_hand():
    x = torch.tensor([[1.0], [3.0], [5.0]])
    y = torch.eye(3)
    perm = torch.tensor([2, 0, 1])
    mx, my = mixup(x, y, 0.75, perm)
    assert mx.reshape(-1).tolist() == [2.0, 2.5, 4.5]
    np.testing.assert_allclose(my[0].numpy(), [0.75, 0, 0.25])


def test_semi_losses_by_hand():
    logits = torch.tensor([[2.0, 0.0], [0.0, 1.0]], dtype=torch.float64)
    t = torch.tensor([[0.7, 0.3], [0.2, 0.8]], dtype=torch.float64)
    p = torch.softmax(logits, 1).numpy()
    ce = -(t.numpy() * np.log(p)).sum()
    assert float(soft_cross_entropy_sum(logits, t)) == pytest.approx(
        ce, rel=1e-6)
    se = ((p - t.numpy())**2).sum()
    assert float(squared_error_sum(logits, t)) == pytest.approx(se, rel=1e-6)


def test_prior_penalty_and_negative_entropy():
    assert float(prior_penalty(torch.full((4, ), 0.25))) == pytest.approx(0)
    mean = torch.tensor([0.5, 0.3, 0.2])
    ref = sum(1 / 3 * np.log((1 / 3) / m) for m in (0.5, 0.3, 0.2))
    assert float(prior_penalty(mean)) == pytest.approx(ref, rel=1e-6)
    logits = torch.tensor([[0.0, 0.0], [10.0, 0.0]])
    p = torch.softmax(logits.double(), 1).numpy()
    assert float(negative_entropy_sum(logits)) == pytest.approx(
        (p * np.log(p)).sum(), rel=1e-5)
    # extreme logits stay finite
    assert torch.isfinite(negative_entropy_sum(torch.tensor([[1e4, -1e4]])))


def test_rampup():
    assert linear_rampup(-1.0, 0.0, 16) == 0.0
    assert linear_rampup(4.0, 0.0, 16) == 0.25
    assert linear_rampup(30.0, 0.0, 16) == 1.0
    assert linear_rampup(0.5, 0.0, 0) == 1.0


def official_kl(a, b):
    """F.kl_div(log_softmax(a), softmax(b), reduce=False).sum(1), as the
    official JoCoR loss.py writes it: KL(softmax(b) || softmax(a))."""
    pb = np.exp(b) / np.exp(b).sum(1, keepdims=True)
    log_pa = a - np.log(np.exp(a).sum(1, keepdims=True))
    return (pb * (np.log(pb) - log_pa)).sum(1)


def test_jocor_loss_in_float64():
    rng = np.random.default_rng(1)
    z1, z2 = rng.normal(size=(2, 6, 5)) * 3
    y = rng.integers(0, 5, 6)

    def ce(z):
        return -(z[np.arange(6), y] - np.log(np.exp(z).sum(1)))

    lam = 0.65
    ref = (1 - lam) * (ce(z1) + ce(z2)) + lam * (
        official_kl(z1, z2) + official_kl(z2, z1))
    got = jocor_per_sample_loss(
        torch.tensor(z1), torch.tensor(z2), torch.tensor(y), lam)
    np.testing.assert_allclose(got.numpy(), ref, rtol=1e-5)
    np.testing.assert_allclose(
        symmetric_kl(torch.tensor(z1), torch.tensor(z2)).numpy(),
        official_kl(z1, z2) + official_kl(z2, z1),
        rtol=1e-5)
    with pytest.raises(ValueError, match='co_lambda must be in'):
        jocor_per_sample_loss(
            torch.tensor(z1), torch.tensor(z2), torch.tensor(y), 1.5)


def test_jocor_gradient_flows_into_both_networks():
    z1 = torch.randn(4, 3, requires_grad=True)
    z2 = torch.randn(4, 3, requires_grad=True)
    jocor_per_sample_loss(z1, z2, torch.tensor([0, 1, 2, 0]),
                          1.0).sum().backward()
    assert z1.grad.abs().sum() > 0 and z2.grad.abs().sum() > 0
