# Copyright (c) lnl_mm contributors. All rights reserved.
"""Gradients of the robust losses: gradcheck, detached forms, AMP, extremes."""
import pytest
import torch
import torch.nn.functional as F
from mmpretrain.registry import MODELS
from torch.autograd.gradcheck import GradcheckError
from torch.testing import assert_close

from lnl_mm.models.losses import LOSS_TYPES

ALL_CFGS = [
    dict(type='CrossEntropyLoss'),
    dict(type='SoftmaxFocalLoss'),
    dict(type='SoftmaxFocalLoss', detach_factor=False, gamma=2.),
    dict(type='MAELoss'),
    dict(type='NMAELoss'),
    dict(type='RCELoss'),
    dict(type='NRCELoss'),
    dict(type='SCELoss'),
    dict(type='GCELoss'),
    dict(type='NCELoss'),
    dict(type='NFLLoss'),
    dict(type='NFLLoss', detach='none'),
    dict(type='NGCELoss'),
    dict(type='AGCELoss'),
    dict(type='AULLoss'),
    dict(type='AELLoss'),
    dict(type='GLSLoss', smooth_rate=-2.),
    dict(type='NCEandMAELoss'),
    dict(type='NCEandRCELoss'),
    dict(type='NFLandMAELoss'),
    dict(type='NFLandRCELoss'),
    dict(type='NGCEandMAELoss'),
    dict(type='NGCEandRCELoss'),
    dict(type='NCEandAGCELoss'),
    dict(type='NCEandAULLoss'),
    dict(type='NCEandAELLoss'),
]
IDS = [f'{c["type"]}-{i}' for i, c in enumerate(ALL_CFGS)]


def test_every_preset_type_is_covered():
    # NLNL draws its complementary labels and refuses soft targets: its
    # gradients are tested in test_nlnl_loss.py.
    covered = {c['type'] for c in ALL_CFGS} | {'NLNLLoss'}
    assert set(LOSS_TYPES.values()) <= covered


def _detaches(cfg):
    """Official FL / NFL detach factors: autograd is not the derivative."""
    if cfg['type'] == 'SoftmaxFocalLoss':
        return cfg.get('detach_factor', True)
    return (cfg['type'] in ('NFLLoss', 'NFLandMAELoss', 'NFLandRCELoss')
            and cfg.get('detach', 'factor') != 'none')


#: (cfg, soft target?): the detached forms are checked once, with index
#: targets (their autograd gradient differs from finite differences by
#: design, whatever the target).
GRADCHECK_CASES = [(c, soft) for c in ALL_CFGS for soft in (False, True)
                   if not (soft and _detaches(c))]
GRADCHECK_IDS = [
    f'{c["type"]}-{ALL_CFGS.index(c)}-{"soft" if soft else "idx"}'
    for c, soft in GRADCHECK_CASES
]


@pytest.mark.parametrize('cfg,soft', GRADCHECK_CASES, ids=GRADCHECK_IDS)
def test_gradcheck_float64(cfg, soft):
    loss = MODELS.build(cfg)
    if _detaches(cfg):
        # the detached forms have their own gradient tests below; their
        # autograd gradient differs from finite differences by design
        with pytest.raises(GradcheckError):
            torch.autograd.gradcheck(
                lambda x: loss(x, torch.tensor([0, 1, 4, 2])),
                (torch.randn(4, 5, dtype=torch.float64, requires_grad=True), ))
        return
    torch.manual_seed(0)
    z = torch.randn(4, 5, dtype=torch.float64, requires_grad=True)
    if soft:
        target = torch.rand(4, 5, dtype=torch.float64).softmax(1)
        # MAE's |t - p| has kinks where t_k = p_k: keep away from them
        target = (target + 0.3 * F.one_hot(torch.arange(4), 5)) / 1.3
    else:
        target = torch.tensor([0, 1, 4, 2])
    assert torch.autograd.gradcheck(lambda x: loss(x, target), (z, ))


def _detached_focal_grad(z, y, gamma):
    # d/dz [-c log p_y] with c = (1 - p_y)^gamma constant = c (p - e_y)
    p = z.softmax(1)
    c = (1 - p.gather(1, y[:, None])).pow(gamma)
    return c * (p - F.one_hot(y, z.size(1)))


def test_focal_detached_gradient_is_weighted_ce_gradient():
    torch.manual_seed(1)
    z = torch.randn(6, 4, dtype=torch.float64, requires_grad=True)
    y = torch.tensor([0, 1, 2, 3, 0, 1])
    loss = MODELS.build(
        dict(type='SoftmaxFocalLoss', gamma=0.5, reduction='sum'))
    (grad, ) = torch.autograd.grad(loss(z, y), z)
    assert_close(grad, _detached_focal_grad(z.detach(), y, 0.5))
    textbook = MODELS.build(
        dict(
            type='SoftmaxFocalLoss',
            gamma=0.5,
            detach_factor=False,
            reduction='sum'))
    (grad_tb, ) = torch.autograd.grad(textbook(z, y), z)
    assert not torch.allclose(grad, grad_tb)


def official_nfl(z, y, gamma, scale=1.0):
    """APL ``loss.py`` / ALFs ``lnl/losses.py`` ``NormalizedFocalLoss``,
    written out: the focal factors come from ``logpt.data`` (constants),
    every ``log p`` keeps its gradient."""
    logpt = F.log_softmax(z, dim=1)
    normalizor = torch.sum(
        -1 * (1 - logpt.detach().exp())**gamma * logpt, dim=1)
    logpt_y = logpt.gather(1, y[:, None]).view(-1)
    pt = logpt_y.detach().exp()
    return scale * (-1 * (1 - pt)**gamma * logpt_y) / normalizor


@pytest.mark.parametrize('gamma,scale', [(0.5, 1.0), (2.0, 10.0)])
def test_nfl_gradient_is_the_official_one(gamma, scale):
    """Values and gradients of the default NFL equal the official code's,
    and a hand derivation: with constants c_k = (1 - p_k)^gamma,
    N = -c_y log p_y, D = -sum_k c_k log p_k, dN/dz = c_y (p - e_y) and
    dD/dz = (sum_k c_k) p - c."""
    torch.manual_seed(2)
    z = torch.randn(6, 4, dtype=torch.float64, requires_grad=True)
    y = torch.tensor([3, 1, 2, 0, 0, 1])
    loss = MODELS.build(
        dict(type='NFLLoss', gamma=gamma, scale=scale, reduction='none'))
    ours = loss(z, y)
    ref = official_nfl(z, y, gamma, scale)
    assert_close(ours, ref)
    (grad, ) = torch.autograd.grad(ours.sum(), z)
    (grad_ref, ) = torch.autograd.grad(ref.sum(), z)
    assert_close(grad, grad_ref)
    zd = z.detach()
    p = zd.softmax(1)
    c = (1 - p).pow(gamma)
    e_y = F.one_hot(y, 4).to(p)
    num = -(c * p.log() * e_y).sum(1, keepdim=True)
    den = -(c * p.log()).sum(1, keepdim=True)
    d_num = (c * e_y).sum(1, keepdim=True) * (p - e_y)
    d_den = c.sum(1, keepdim=True) * p - c
    assert_close(grad, scale * (d_num * den - num * d_den) / den**2)
    # The pairs pass the mode through and default to it.
    for pair in ('NFLandMAELoss', 'NFLandRCELoss'):
        built = MODELS.build(
            dict(
                type=pair, alpha=1.0, beta=0.0, gamma=gamma, reduction='none'))
        (g_pair, ) = torch.autograd.grad(built(z, y).sum(), z)
        assert_close(g_pair, grad_ref / scale)


def test_nfl_other_gradient_modes():
    """'denominator' (lnl_mm 0.1): grad = (1 - p_y)^gamma / D (p - e_y);
    'none': the ratio's gradient (finite differences, gradcheck above).
    The value is the same in every mode."""
    torch.manual_seed(2)
    z = torch.randn(6, 4, dtype=torch.float64, requires_grad=True)
    y = torch.tensor([3, 1, 2, 0, 0, 1])
    grads, values = {}, {}
    for mode in ('factor', 'denominator', 'none'):
        loss = MODELS.build(
            dict(type='NFLLoss', gamma=0.5, detach=mode, reduction='sum'))
        values[mode] = loss(z, y)
        (grads[mode], ) = torch.autograd.grad(values[mode], z)
    zd = z.detach()
    p = zd.softmax(1)
    denom = (-(1 - p).pow(0.5) * p.log()).sum(1, keepdim=True)
    assert_close(grads['denominator'],
                 _detached_focal_grad(zd, y, 0.5) / denom)
    assert_close(values['factor'], values['denominator'])
    assert_close(values['factor'], values['none'])
    assert not torch.allclose(grads['factor'], grads['denominator'])
    assert not torch.allclose(grads['factor'], grads['none'])


@pytest.mark.parametrize('bad,match', [
    (True, "True used to mean 'denominator'"),
    (False, "False 'none'"),
    ('all', "detach must be one of"),
])
def test_nfl_detach_is_a_named_mode(bad, match):
    with pytest.raises(ValueError, match=match):
        MODELS.build(dict(type='NFLLoss', detach=bad))


def test_nce_denominator_is_differentiated():
    torch.manual_seed(3)
    z = torch.randn(3, 4, dtype=torch.float64, requires_grad=True)
    y = torch.tensor([0, 1, 2])
    (grad, ) = torch.autograd.grad(
        MODELS.build(dict(type='NCELoss', reduction='sum'))(z, y), z)
    logp = z.detach().log_softmax(1)
    num, den = -logp.gather(1, y[:, None]), -logp.sum(1, keepdim=True)
    p = logp.exp()
    d_num = p - F.one_hot(y, 4)  # d(-log p_y)/dz
    d_den = 4 * p - 1  # d(-sum_k log p_k)/dz = C p - 1
    assert_close(grad, (d_num * den - num * d_den) / den**2)


@pytest.mark.parametrize('cfg', ALL_CFGS, ids=IDS)
@pytest.mark.parametrize('scale', [1e4, 1e3])
def test_extreme_logits_finite_loss_and_grad(cfg, scale):
    z = torch.tensor([[1., -1., 0., 0.5], [-1., 1., 0.3, 0.]]) * scale
    z.requires_grad_(True)
    for y in (torch.tensor([0, 1]), torch.tensor([1, 0]), torch.tensor([2,
                                                                        3])):
        loss = MODELS.build(cfg)(z, y)
        (grad, ) = torch.autograd.grad(loss, z)
        assert torch.isfinite(loss), (cfg, y)
        assert torch.isfinite(grad).all(), (cfg, y)


@pytest.mark.parametrize('cfg', ALL_CFGS, ids=IDS)
@pytest.mark.parametrize('dtype', [torch.float16, torch.bfloat16])
def test_half_precision_logits(cfg, dtype):
    torch.manual_seed(4)
    z32 = torch.randn(8, 10) * 20
    z = z32.to(dtype).requires_grad_(True)
    y = torch.arange(8)
    loss = MODELS.build(cfg)(z, y)
    (grad, ) = torch.autograd.grad(loss, z)
    assert grad.dtype == dtype and torch.isfinite(grad).all()
    if cfg['type'] != 'CrossEntropyLoss':  # mmpretrain's keeps the dtype
        assert loss.dtype == torch.float32  # computed in float32 inside
        # the value equals the float32 loss of the rounded logits
        assert_close(loss, MODELS.build(cfg)(z.detach().float(), y))
    if cfg['type'] == 'CrossEntropyLoss':
        return  # mmpretrain's CE returns fp16 inf for a 1.2e5 margin
    # huge logits that fp16 can still hold
    zbig = (torch.tensor([[6e4, -6e4, 0.]])).to(dtype).requires_grad_(True)
    big = MODELS.build(cfg)(zbig, torch.tensor([1]))
    assert torch.isfinite(big)
    assert torch.isfinite(torch.autograd.grad(big, zbig)[0]).all()


def test_under_autocast_cpu():
    lin = torch.nn.Linear(6, 5)
    x = torch.randn(4, 6)
    with torch.autocast('cpu', dtype=torch.bfloat16):
        z = lin(x)
        assert z.dtype == torch.bfloat16
        loss = MODELS.build(dict(type='NCEandAGCELoss'))(z, torch.arange(4))
    assert loss.dtype == torch.float32
    loss.backward()
    assert torch.isfinite(lin.weight.grad).all()
