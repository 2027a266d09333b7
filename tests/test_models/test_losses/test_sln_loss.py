# Copyright (c) lnl_mm contributors. All rights reserved.
"""SLN: exact values with a given draw, statistics of fresh draws, limits."""
import pytest
import torch
import torch.nn.functional as F

from lnl_mm.models.losses import SLNLoss, sln_loss


def _logits():
    return torch.tensor([[2.0, -1.0, 0.5], [0.0, 0.0, 0.0], [-3.0, 4.0, 1.0]],
                        dtype=torch.float64)


def test_value_with_given_noise_equals_hand_formula():
    z, y = _logits(), torch.tensor([0, 2, 1])
    eps = torch.tensor([[0.3, -1.2, 0.7], [1.0, 0.0, -2.0], [-0.5, 0.25, 2.0]],
                       dtype=torch.float64)
    sigma = 0.7
    logp = z - torch.logsumexp(z, dim=1, keepdim=True)
    target = F.one_hot(y, 3).double() + sigma * eps  # not renormalised
    expected = -(target * logp).sum(1)
    assert torch.allclose(
        sln_loss(z, y, sigma, noise=eps), expected, atol=1e-12, rtol=0)
    # The same with a soft target: the noise is added to the target itself.
    soft = torch.tensor([[0.5, 0.5, 0.0], [0.2, 0.3, 0.5], [0, 1.0, 0]],
                        dtype=torch.float64)
    expected = -((soft + sigma * eps) * logp).sum(1)
    assert torch.allclose(
        sln_loss(z, soft, sigma, noise=eps), expected, atol=1e-12, rtol=0)


def test_sigma_zero_and_eval_mode_are_exactly_ce():
    z, y = _logits().float(), torch.tensor([0, 2, 1])
    ce = F.cross_entropy(z, y)
    assert torch.equal(SLNLoss(sigma=0.0)(z, y), ce)
    loss = SLNLoss(sigma=1.0).eval()
    assert torch.equal(loss(z, y), ce)
    loss.train()
    assert not torch.equal(loss(z, y), ce)


def test_noise_statistics_mean_zero_variance_sigma_squared():
    torch.manual_seed(0)
    n, sigma = 20000, 0.8
    z = _logits()[[0]].repeat(n, 1)
    y = torch.zeros(n, dtype=torch.long)
    loss = SLNLoss(sigma=sigma, reduction='none').double()
    delta = loss(z, y) - F.cross_entropy(z, y, reduction='none')
    logp = F.log_softmax(_logits()[0], dim=0)
    # delta = -sigma * <eps, log p> ~ N(0, sigma^2 ||log p||^2)
    std = sigma * logp.norm()
    assert abs(delta.mean()) < 4 * std / n**0.5
    assert abs(delta.var() / std**2 - 1) < 0.05
    # Fresh draws: two calls differ, and per-class noise has variance sigma^2
    assert not torch.equal(loss(z, y), loss(z, y))


def test_noise_is_fresh_per_sample_and_class():
    torch.manual_seed(1)
    sigma, n = 0.5, 4000
    # Uniform logits: log p_k = -log 3 for every k, so delta is
    # sigma * log 3 * sum_k eps_k with variance 3 (sigma log 3)^2 only if
    # the C draws of a sample are independent.
    z = torch.zeros(n, 3, dtype=torch.float64)
    y = torch.zeros(n, dtype=torch.long)
    delta = sln_loss(z, y, sigma) - sln_loss(z, y, 0.0)
    expected_var = 3 * (sigma * torch.log(torch.tensor(3.0)))**2
    assert abs(delta.var().item() / expected_var.item() - 1) < 0.08


def test_sigma_is_set_to_zero_and_validated():
    loss = SLNLoss(sigma=1.0)
    loss.sigma = 0
    assert loss.sigma == 0.0
    with pytest.raises(ValueError, match='SLNLoss: sigma must be finite'):
        SLNLoss(sigma=-0.1)
    with pytest.raises(ValueError, match='sigma'):
        loss.sigma = float('nan')
    with pytest.raises(ValueError, match='noise shape'):
        sln_loss(
            _logits(), torch.tensor([0, 1, 2]), 1.0, noise=torch.zeros(2, 3))


def test_gradient_and_extreme_logits_are_finite():
    torch.manual_seed(0)
    z = torch.tensor([[1e4, -1e4, 0.0], [-1e4, 1e4, 3.0]], requires_grad=True)
    loss = SLNLoss(sigma=1.0)(z.half().float(), torch.tensor([1, 0]))
    loss.backward()
    assert torch.isfinite(loss) and torch.isfinite(z.grad).all()
    zd = torch.randn(4, 5, dtype=torch.float64, requires_grad=True)
    eps = torch.randn(4, 5, dtype=torch.float64)
    assert torch.autograd.gradcheck(
        lambda x: sln_loss(x, torch.tensor([0, 1, 2, 3]), 0.3, eps).sum(),
        (zd, ))


def test_draws_are_a_function_of_seed_and_call_number():
    z, y = _logits(), torch.tensor([0, 1, 2])
    a, b = SLNLoss(sigma=1.0, seed=3), SLNLoss(sigma=1.0, seed=3)
    torch.manual_seed(0)
    first = [a(z, y) for _ in range(3)]
    torch.manual_seed(123)  # the global generator plays no part
    assert all(torch.equal(u, b(z, y)) for u in first)
    assert not torch.equal(first[0], first[1])  # fresh per call
    assert int(a.num_draws) == 3
    assert not torch.equal(SLNLoss(sigma=1.0, seed=4)(z, y), first[0])


def test_state_dict_round_trip_continues_the_draws():
    z, y = _logits(), torch.tensor([0, 1, 2])
    full = SLNLoss(sigma=0.5)
    expected = [full(z, y) for _ in range(4)]
    part = SLNLoss(sigma=0.5)
    [part(z, y) for _ in range(2)]
    resumed = SLNLoss(sigma=0.5)
    resumed.load_state_dict(part.state_dict())
    assert torch.equal(resumed(z, y), expected[2])
    assert torch.equal(resumed(z, y), expected[3])


def test_eval_and_zero_sigma_draw_nothing():
    z, y = _logits(), torch.tensor([0, 1, 2])
    loss = SLNLoss(sigma=1.0).eval()
    loss(z, y)
    zero = SLNLoss(sigma=0.0)
    zero(z, y)
    assert int(loss.num_draws) == 0 and int(zero.num_draws) == 0


@pytest.mark.parametrize('seed', [-1, 1.5, True, '0'])
def test_bad_seed_names_the_option(seed):
    with pytest.raises(
            ValueError,
            match=f'SLNLoss: seed must be an int >= '
            f'0, got seed={seed!r}'):
        SLNLoss(sigma=1.0, seed=seed)
