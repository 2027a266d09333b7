# Copyright (c) lnl_mm contributors. All rights reserved.
"""Pixel losses: zero at d = 0, bounds, gradients, masks, compact names."""
import math

import pytest
import torch

from lnl_mm.models.losses import (HeatKernelLoss, LpRegressionLoss,
                                  MSERegressionLoss, PoissonKernelLoss,
                                  build_regression_loss)


def _d(*values):
    return torch.tensor(values, dtype=torch.float64).view(1, 1, 1, -1)


def _loss(module, d):
    return module(d, torch.zeros_like(d), reduction_override='none')


def test_values_by_hand_and_zero_at_zero():
    d = _d(0.0, 0.1, -0.3)
    a = 0.2
    heat = _loss(HeatKernelLoss(a), d).flatten()
    expected = (1 - torch.exp(-d.flatten()**2 / a**2)) / (
        a * math.sqrt(math.pi))
    assert torch.allclose(heat, expected) and heat[0] == 0
    pois = _loss(PoissonKernelLoss(a), d).flatten()
    expected = 1 / (math.pi * a) - a / (math.pi * (a**2 + d.flatten()**2))
    assert torch.allclose(pois, expected, atol=1e-15) and pois[0] == 0
    assert torch.equal(_loss(MSERegressionLoss(), d).flatten(), d.flatten()**2)
    lp = _loss(LpRegressionLoss(p=0.5), d).flatten()
    assert torch.allclose(lp, (d.flatten().abs() + 1e-7)**0.5)
    assert lp[0] == pytest.approx(1e-7**0.5)


def test_kernel_losses_are_bounded():
    d = _d(0.0, 1.0, 10.0, 1e6)
    a = 0.1
    heat = _loss(HeatKernelLoss(a), d)
    pois = _loss(PoissonKernelLoss(a), d)
    assert (heat <= 1 / (a * math.sqrt(math.pi))).all()
    assert heat.flatten()[-1] == pytest.approx(1 / (a * math.sqrt(math.pi)))
    assert (pois <= 1 / (math.pi * a)).all()
    assert pois.flatten()[-1] == pytest.approx(1 / (math.pi * a), rel=1e-6)


@pytest.mark.parametrize('loss', [
    MSERegressionLoss(),
    LpRegressionLoss(p=1.5),
    HeatKernelLoss(a=0.3),
    PoissonKernelLoss(a=0.3)
])
def test_gradcheck_float64(loss):
    torch.manual_seed(0)
    pred = torch.randn(2, 1, 3, 3, dtype=torch.float64, requires_grad=True)
    target = torch.randn(2, 1, 3, 3, dtype=torch.float64)
    assert torch.autograd.gradcheck(lambda p: loss(p, target), (pred, ))


def test_mask_sum_and_mean():
    pred = torch.zeros(1, 1, 2, 2)
    target = torch.tensor([[[[1.0, 2.0], [3.0, 4.0]]]])
    mask = torch.tensor([[[[1.0, 0.0], [0.0, 1.0]]]])
    assert MSERegressionLoss(reduction='sum')(pred, target, mask) == 17
    # official n2s: criterion(pred * mask, target * mask), a mean over all
    # 4 pixels; 'masked' averages the 2 masked ones
    assert MSERegressionLoss()(pred, target, mask) == 17 / 4
    official = torch.nn.functional.mse_loss(pred * mask, target * mask)
    assert MSERegressionLoss()(pred, target, mask) == official
    assert MSERegressionLoss(mask_mean='masked')(pred, target, mask) == 8.5
    with pytest.raises(ValueError, match="mask_mean=.half."):
        MSERegressionLoss(mask_mean='half')
    assert MSERegressionLoss()(pred, target) == 7.5
    with pytest.raises(ValueError, match='differ'):
        MSERegressionLoss()(pred, target[..., :1])


@pytest.mark.parametrize('name,cls,key,value',
                         [('lp2', LpRegressionLoss, 'p', 2.0),
                          ('heat0.1', HeatKernelLoss, 'a', 0.1),
                          ('poisson0.2', PoissonKernelLoss, 'a', 0.2)])
def test_compact_names(name, cls, key, value):
    loss = build_regression_loss(name)
    assert isinstance(loss, cls) and getattr(loss, key) == value
    assert loss.reduction == 'sum'
    assert isinstance(build_regression_loss('mse'), MSERegressionLoss)


@pytest.mark.parametrize('bad', ['heat', 'heat-1', 'l2', 'lp0', 'poisson'])
def test_bad_compact_names(bad):
    with pytest.raises(ValueError):
        build_regression_loss(bad)
    with pytest.raises(ValueError, match='must be a finite number > 0'):
        HeatKernelLoss(a=0)
