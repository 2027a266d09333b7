# Copyright (c) lnl_mm contributors. All rights reserved.
"""ALFs' ANL and its other pairs against lnl/losses.py, written out
(float64), and DMI against APL's loss.py."""
import math

import pytest
import torch
import torch.nn.functional as F
from mmpretrain.models.heads import LinearClsHead
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample
from torch.testing import assert_close

from lnl_mm.models.losses import DMILoss, anorm_loss, dmi_loss


def onehot(y, c):
    return F.one_hot(y, c).to(torch.float64)


def anorm(z, y, a, p):
    pred = torch.clamp(F.softmax(z, dim=1), min=1e-5, max=1)
    loss = torch.sum(
        torch.pow(torch.abs(a * onehot(y, z.size(1)) - pred), p),
        dim=1) - (a - 1)**p
    return loss / p


def nce(z, y):
    logp = F.log_softmax(z, dim=1)
    return -(onehot(y, z.size(1)) * logp).sum(1) / -logp.sum(1)


def rce(z, y):
    pred = torch.clamp(F.softmax(z, dim=1), min=1e-7, max=1.0)
    t = torch.clamp(onehot(y, z.size(1)), min=1e-4, max=1.0)
    return -1 * torch.sum(pred * torch.log(t), dim=1)


def nfl(z, y, gamma=0.5):
    logpt = F.log_softmax(z, dim=1)
    normalizor = torch.sum(-1 * (1 - logpt.data.exp())**gamma * logpt, dim=1)
    logpt = logpt.gather(1, y.view(-1, 1)).view(-1)
    pt = logpt.data.exp()
    return -1 * (1 - pt)**gamma * logpt / normalizor


def _py(z, y):
    return (onehot(y, z.size(1)) * F.softmax(z, dim=1)).sum(1)


def agce(z, y, a, q):
    return ((a + 1)**q - torch.pow(a + _py(z, y), q)) / q


def aul(z, y, a, q):
    return (torch.pow(a - _py(z, y), q) - (a - 1)**q) / q


def ael(z, y, a):
    return torch.exp(-_py(z, y) / a)


CASES = [
    ('NFLandAGCELoss', dict(), lambda z, y: nfl(z, y),
     lambda z, y: agce(z, y, 3, 2)),
    ('NFLandAULLoss', dict(), lambda z, y: nfl(z, y),
     lambda z, y: aul(z, y, 1.5, 0.9)),
    ('NFLandAELLoss', dict(), lambda z, y: nfl(z, y),
     lambda z, y: ael(z, y, 3)),
    ('NCEandANLLoss', dict(), nce, lambda z, y: anorm(z, y, 2, 0.7)),
    ('ANLandRCELoss', dict(), lambda z, y: anorm(z, y, 2, 0.7), rce),
    ('ANormLoss', dict(a=1.5,
                       p=0.9), lambda z, y: anorm(z, y, 1.5, 0.9), None),
]


@pytest.mark.parametrize(
    'name,extra,active,passive', CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize('alpha,beta', [(1.0, 1.0), (3.0, 0.25)])
def test_equals_the_official_classes(name, extra, active, passive, alpha,
                                     beta):
    """Official defaults; the official classes pass alpha / beta as the
    members' scale, i.e. alpha * active + beta * passive."""
    torch.manual_seed(7)
    z = torch.randn(9, 6, dtype=torch.float64, requires_grad=True) * 3
    y = torch.tensor([0, 1, 2, 3, 4, 5, 0, 2, 2])
    if passive is None:  # the single loss: 'alpha' is its scale
        loss = MODELS.build(
            dict(type=name, scale=alpha, reduction='none', **extra))
        ref = alpha * active(z, y)
    else:
        loss = MODELS.build(
            dict(type=name, alpha=alpha, beta=beta, reduction='none'))
        ref = alpha * active(z, y) + beta * passive(z, y)
    ours = loss(z, y)
    assert_close(ours, ref)
    (g, ) = torch.autograd.grad(ours.sum(), z)
    (g_ref, ) = torch.autograd.grad(ref.sum(), z)
    assert_close(g, g_ref)


def test_anorm_soft_target_is_the_expectation_and_zero_at_one_hot():
    torch.manual_seed(2)
    z = torch.randn(5, 4, dtype=torch.float64)
    y1, y2 = torch.tensor([0, 1, 2, 3, 0]), torch.tensor([1, 1, 3, 0, 2])
    lam = torch.tensor([0.3, 0.5, 0.9, 0.0, 0.7], dtype=torch.float64)
    mixed = lam[:, None] * onehot(y1, 4) + (1 - lam[:, None]) * onehot(y2, 4)
    assert_close(
        anorm_loss(z, mixed, 2.0, 0.7),
        lam * anorm_loss(z, y1, 2.0, 0.7) +
        (1 - lam) * anorm_loss(z, y2, 2.0, 0.7))
    sure = torch.tensor([[50., 0., 0., 0.]], dtype=torch.float64)
    # only the clamp keeps it from exactly 0: 3 (1e-5)^0.7 / 0.7 at most
    assert 0 <= anorm_loss(sure, torch.tensor([0]), 2.0, 0.7).item() < \
        3 * 1e-5**0.7 / 0.7 + 1e-12


def test_finite_on_extreme_logits_and_bad_options():
    z = torch.tensor([[1e4, -1e4, 0., 3., -3.]], requires_grad=True)
    for name, *_ in CASES:
        loss = MODELS.build(dict(type=name))
        value = loss(z, torch.tensor([1]))
        (g, ) = torch.autograd.grad(value, z)
        assert torch.isfinite(value) and torch.isfinite(g).all(), name
    with pytest.raises(ValueError, match='ANormLoss: a must be a finite'):
        MODELS.build(dict(type='ANormLoss', a=0.5))
    with pytest.raises(ValueError, match='ANormLoss: p must be'):
        MODELS.build(dict(type='NCEandANLLoss', p=0.0))
    with pytest.raises(ValueError, match="NFLLoss: detach is one of"):
        MODELS.build(dict(type='NFLandAGCELoss', detach=True))


def official_dmi(output, target, num_classes):
    outputs = F.softmax(output, dim=1)
    y_onehot = torch.zeros(target.size(0), num_classes, dtype=output.dtype)
    y_onehot.scatter_(1, target.reshape(-1, 1), 1)
    mat = y_onehot.transpose(0, 1) @ outputs
    return -1.0 * torch.log(torch.abs(torch.det(mat)) + 0.001)


@pytest.mark.parametrize('c', [3, 10])
def test_dmi_equals_the_official_value_and_gradient(c):
    torch.manual_seed(c)
    z = torch.randn(64, c, dtype=torch.float64, requires_grad=True)
    y = torch.randint(0, c, (64, ))
    ours = DMILoss()(z, y, avg_factor=64)
    ref = official_dmi(z, y, c)
    assert_close(ours, ref)
    (g, ) = torch.autograd.grad(ours, z)
    (g_ref, ) = torch.autograd.grad(ref, z)
    assert_close(g, g_ref)


def test_dmi_is_finite_where_the_determinant_overflows_float32():
    # 100 classes, 2,000 confident correct predictions: det ~ 20^100
    y = torch.arange(100).repeat(20)
    z = F.one_hot(y, 100).float() * 30
    ours = dmi_loss(z, y)
    assert ours.dtype == torch.float32 and torch.isfinite(ours)
    assert ours.item() == pytest.approx(-100 * math.log(20), rel=1e-4)
    assert not torch.isfinite(
        torch.log(
            torch.det((F.one_hot(y, 100).float().t() @ F.softmax(z, 1)))))


def test_dmi_weights_scale_rows_and_bad_options():
    torch.manual_seed(0)
    z = torch.randn(12, 3, dtype=torch.float64)
    y = torch.randint(0, 3, (12, ))
    w = torch.rand(12, dtype=torch.float64)
    u = (onehot(y, 3) * w[:, None]).t() @ F.softmax(z, 1)
    assert_close(dmi_loss(z, y, w), -torch.log(torch.det(u).abs() + 1e-3))
    # one-hot soft targets are the index labels
    assert_close(dmi_loss(z, onehot(y, 3)), dmi_loss(z, y))
    with pytest.raises(ValueError, match="no per-sample 'none'"):
        DMILoss(reduction='none')
    with pytest.raises(ValueError, match='reduction_override'):
        DMILoss()(z, y, reduction_override='none')
    with pytest.raises(ValueError, match='eps must be'):
        DMILoss(eps=0.0)


def test_dmi_in_a_head():
    head = LinearClsHead(
        num_classes=4, in_channels=8, loss=dict(type='DMILoss'))
    feats = (torch.randn(16, 8), )
    samples = [DataSample().set_gt_label(i % 4) for i in range(16)]
    losses = head.loss(feats, samples)
    assert torch.isfinite(losses['loss'])


def test_dmi_gradient_is_finite_when_a_class_is_missing_from_the_batch():
    """A class absent from the batch makes Y^T P singular: the official
    torch.det form has a finite (zero-row) gradient there, and so does ours
    (slogdet alone would give NaN)."""
    torch.manual_seed(3)
    z = torch.randn(16, 5, dtype=torch.float64, requires_grad=True)
    y = torch.randint(0, 3, (16, ))  # classes 3 and 4 never given
    ours = DMILoss()(z, y)
    ref = official_dmi(z, y, 5)
    assert_close(ours, ref)
    (g, ) = torch.autograd.grad(ours, z)
    (g_ref, ) = torch.autograd.grad(ref, z)
    assert torch.isfinite(g).all()
    assert_close(g, g_ref)
