# Copyright (c) lnl_mm contributors. All rights reserved.
"""The closed-form NFL / NGCE backward against autograd of the formulas,
re-derived here in float64."""
import math

import pytest
import torch

from lnl_mm.models.losses import NFLLoss, NGCELoss
from lnl_mm.models.losses.normalized_grads import (nfl_closed_form,
                                                   ngce_closed_form)


def _nfl_reference(z, y, gamma, scale):
    logp = torch.log_softmax(z, dim=1)
    factor = (1 - logp.exp()).detach()**gamma  # the official constant
    terms = -factor * logp
    return scale * terms[torch.arange(len(y)), y] / terms.sum(dim=1)


def _ngce_reference(z, y, q, min_prob):
    p = torch.softmax(z, dim=1).clamp(min=min_prob)
    pq = p**q
    return (1 - pq[torch.arange(len(y)), y]) / (z.size(1) - pq.sum(dim=1))


def _value_and_grad(fn, z, y, weights):
    z = z.clone().requires_grad_(True)
    loss = fn(z, y)
    (loss * weights).sum().backward()
    return loss.detach(), z.grad


CASES = [(torch.float64, 3.0), (torch.float64, 12.0)]


@pytest.mark.parametrize('gamma', [0.5, 1.0, 2.0])
@pytest.mark.parametrize('dtype,spread', CASES)
def test_nfl_closed_form_matches_autograd_of_the_formula(gamma, dtype, spread):
    g = torch.Generator().manual_seed(0)
    z = torch.randn(64, 10, generator=g, dtype=dtype) * spread
    y = torch.randint(0, 10, (64, ), generator=g)
    w = torch.rand(64, generator=g, dtype=dtype)  # any upstream gradient
    got = _value_and_grad(lambda a, b: nfl_closed_form(a, b, gamma, 2.0), z, y,
                          w)
    want = _value_and_grad(lambda a, b: _nfl_reference(a, b, gamma, 2.0), z, y,
                           w)
    torch.testing.assert_close(got[0], want[0], rtol=1e-10, atol=1e-12)
    torch.testing.assert_close(got[1], want[1], rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize('q', [0.1, 0.7, 1.0])
@pytest.mark.parametrize('min_prob', [0.0, 1e-7, 1e-2])
@pytest.mark.parametrize('dtype,spread', CASES)
def test_ngce_closed_form_matches_autograd_of_the_formula(
        q, min_prob, dtype, spread):
    g = torch.Generator().manual_seed(1)
    z = torch.randn(64, 10, generator=g, dtype=dtype) * spread
    y = torch.randint(0, 10, (64, ), generator=g)
    w = torch.rand(64, generator=g, dtype=dtype)
    got = _value_and_grad(lambda a, b: ngce_closed_form(a, b, q, min_prob), z,
                          y, w)
    want = _value_and_grad(lambda a, b: _ngce_reference(a, b, q, min_prob), z,
                           y, w)
    torch.testing.assert_close(got[0], want[0], rtol=1e-10, atol=1e-12)
    torch.testing.assert_close(got[1], want[1], rtol=1e-9, atol=1e-12)


def test_the_modules_take_the_closed_form_and_stay_finite_at_extremes():
    z = torch.tensor([[1e4, -1e4, 0.0], [0.0, 0.0, 0.0], [-80.0, 80.0, 3.0]],
                     requires_grad=True)
    y = torch.tensor([0, 1, 0])
    for loss in (NFLLoss(), NGCELoss()):
        z.grad = None
        out = loss(z, y)
        out.backward()
        assert torch.isfinite(out) and torch.isfinite(z.grad).all()
    # the uniform row: NFL = 1/C exactly, NGCE = 1/C too
    nfl = NFLLoss(reduction='none')(torch.zeros(1, 4), torch.tensor([2]))
    assert nfl.item() == pytest.approx(0.25, abs=1e-7)
    ngce = NGCELoss(
        reduction='none', q=0.5)(torch.zeros(1, 4), torch.tensor([2]))
    assert ngce.item() == pytest.approx(0.25, abs=1e-7)


def test_the_closed_form_is_used_for_index_targets_only():
    z = torch.randn(8, 5, dtype=torch.float64, requires_grad=True)
    y = torch.randint(0, 5, (8, ))
    names = set()

    def walk(fn):
        while fn is not None:
            names.add(type(fn).__name__)
            fn = fn.next_functions[0][0] if fn.next_functions else None

    walk(NFLLoss()(z, y).grad_fn)
    walk(NGCELoss()(z, y).grad_fn)
    assert {'NFLFunctionBackward', 'NGCEFunctionBackward'} <= names
    soft = torch.softmax(torch.randn(8, 5, dtype=torch.float64), dim=1)
    names.clear()
    walk(NFLLoss()(z, soft).grad_fn)
    assert 'NFLFunctionBackward' not in names
    assert math.isfinite(NGCELoss()(z, soft).item())
