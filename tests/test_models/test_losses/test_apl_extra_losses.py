# Copyright (c) lnl_mm contributors. All rights reserved.
"""APL's other pairs against its loss.py, written out (float64)."""
import math

import pytest
import torch
import torch.nn.functional as F
from mmpretrain.registry import MODELS
from torch.testing import assert_close

import lnl_mm  # noqa: F401


def _p(z):
    return F.softmax(z, dim=1).clamp(min=1e-7, max=1.0)


def gce(z, y, q=0.7):
    return (1 - _p(z).gather(1, y[:, None]).view(-1).pow(q)) / q


def ngce(z, y, q=0.7):
    p = _p(z)
    return (1 - p.gather(1, y[:, None]).view(-1).pow(q)) / (
        z.size(1) - p.pow(q).sum(1))


def nce(z, y):
    logp = F.log_softmax(z, dim=1)
    return -logp.gather(1, y[:, None]).view(-1) / -logp.sum(1)


def mae(z, y):
    return 1 - F.softmax(z, dim=1).gather(1, y[:, None]).view(-1)


def rce(z, y):
    # -sum_k p_k log(clamp(onehot, 1e-4)) = -log(1e-4) (1 - p_y)
    return -math.log(1e-4) * (1 - _p(z).gather(1, y[:, None]).view(-1))


def nfl(z, y, gamma=0.5):
    logpt = F.log_softmax(z, dim=1)
    normalizor = torch.sum(
        -1 * (1 - logpt.detach().exp())**gamma * logpt, dim=1)
    logpt_y = logpt.gather(1, y[:, None]).view(-1)
    return -(1 - logpt_y.detach().exp())**gamma * logpt_y / normalizor


CASES = [
    ('GCEandMAELoss', gce, mae),
    ('GCEandRCELoss', gce, rce),
    ('GCEandNCELoss', gce, nce),
    ('NGCEandNCELoss', ngce, nce),
    ('MAEandRCELoss', mae, rce),
    ('NFLandNCELoss', nfl, nce),
]


@pytest.mark.parametrize('name,active,passive', CASES)
@pytest.mark.parametrize('alpha,beta', [(1.0, 1.0), (2.0, 0.5)])
def test_pair_equals_the_official_terms(name, active, passive, alpha, beta):
    """Values and gradients of alpha * active + beta * passive; at alpha =
    beta = 1 also the official classes that ignore their weights."""
    torch.manual_seed(4)
    z = torch.randn(7, 5, dtype=torch.float64, requires_grad=True)
    y = torch.tensor([0, 1, 2, 3, 4, 0, 2])
    loss = MODELS.build(
        dict(type=name, alpha=alpha, beta=beta, reduction='none'))
    ours = loss(z, y)
    ref = alpha * active(z, y) + beta * passive(z, y)
    assert_close(ours, ref)
    (g, ) = torch.autograd.grad(ours.sum(), z)
    (g_ref, ) = torch.autograd.grad(ref.sum(), z)
    assert_close(g, g_ref)


def test_pairs_are_finite_on_extreme_logits():
    z = torch.tensor([[1e4, -1e4, 0., 3., -3.]], requires_grad=True)
    for name, _, _ in CASES:
        value = MODELS.build(dict(type=name))(z, torch.tensor([1]))
        (g, ) = torch.autograd.grad(value, z)
        assert torch.isfinite(value) and torch.isfinite(g).all(), name
