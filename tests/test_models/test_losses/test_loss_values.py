# Copyright (c) lnl_mm contributors. All rights reserved.
"""Exact values of the robust losses: oracle table, hand-derived cases."""
import math

import pytest
import torch
import torch.nn.functional as F
from mmpretrain.registry import MODELS
from torch.testing import assert_close

LN_1E4 = math.log(1e-4)


def build(cfg):
    return MODELS.build(dict(cfg, reduction='none'))


# Oracle values of the ALFs formulas (docs/losses.md): logits
# [[2,1,0],[0.5,-1,3]], labels [0, 0].
ORACLE = [
    (dict(type='CrossEntropyLoss'), (0.407606, 2.595674)),
    (dict(type='NCELoss'), (0.096525, 0.382447)),
    (dict(type='RCELoss'), (3.083245, 8.523290)),
    (dict(type='MAELoss', scale=1.0), (0.334759, 0.925404)),
    (dict(type='GCELoss', q=0.7), (0.354614, 1.196404)),
    (dict(type='NGCELoss', q=0.7), (0.146922, 0.453824)),
    (dict(type='SoftmaxFocalLoss', gamma=0.5), (0.235834, 2.496985)),
    (dict(type='NFLLoss', gamma=0.5), (0.062792, 0.379059)),
    (dict(type='AGCELoss', a=0.6, q=0.6), (0.290293, 0.893579)),
    (dict(type='AULLoss', a=5.5, q=3.0), (7.295662, 22.857284)),
    (dict(type='AELLoss', a=2.5), (0.766365, 0.970603)),
    (dict(type='SCELoss', alpha=0.1, beta=1.0), (3.124005, 8.782857)),
    (dict(type='GLSLoss', smooth_rate=0.4), (0.807606, 2.462341)),
    (dict(type='GLSLoss', smooth_rate=-0.4), (0.007606, 2.729008)),
]
Z = torch.tensor([[2., 1., 0.], [0.5, -1., 3.]], dtype=torch.float64)
Y = torch.tensor([0, 0])


@pytest.mark.parametrize(
    'cfg,expected',
    ORACLE,
    ids=[c['type'] + str(i) for i, (c, _) in enumerate(ORACLE)])
def test_oracle_table(cfg, expected):
    out = build(cfg)(Z, Y)
    assert_close(
        out, torch.tensor(expected, dtype=out.dtype), atol=2e-6, rtol=0)
    # float32 logits give the same values to float32 precision
    out32 = build(cfg)(Z.float(), Y)
    assert out32.dtype == torch.float32
    assert_close(out32, torch.tensor(expected), atol=1e-5, rtol=1e-6)


def test_mae_default_scale_is_textbook_l1():
    # scale 2: sum_k |e_y - p| = (1 - p_y) + sum_{k != y} p_k = 2 (1 - p_y)
    out = build(dict(type='MAELoss'))(Z, Y)
    p = Z.softmax(1)
    assert_close(out, (F.one_hot(Y, 3) - p).abs().sum(1))


def test_apl_combos_are_weighted_sums_of_oracle_values():
    # NCE+MAE alpha=10 beta=2: 10 * NCE + 2 * (1 - p_y), from the table
    out = build(dict(type='NCEandMAELoss', alpha=10., beta=2.))(Z, Y)
    expected = [10 * 0.096525 + 2 * 0.334759, 10 * 0.382447 + 2 * 0.925404]
    assert_close(out, torch.tensor(expected, dtype=Z.dtype), atol=2e-5, rtol=0)
    out = build(dict(type='NCEandRCELoss', alpha=1., beta=0.5))(Z, Y)
    expected = [0.096525 + 0.5 * 3.083245, 0.382447 + 0.5 * 8.523290]
    assert_close(out, torch.tensor(expected, dtype=Z.dtype), atol=2e-5, rtol=0)
    out = build(dict(type='NCEandAULLoss', alpha=1., beta=1., a=5.5, q=3.))(Z,
                                                                            Y)
    expected = [0.096525 + 7.295662, 0.382447 + 22.857284]
    assert_close(out, torch.tensor(expected, dtype=Z.dtype), atol=2e-5, rtol=0)
    # alpha = 0 (released MNIST settings) is the passive loss alone
    out = build(dict(type='NCEandAGCELoss', alpha=0., beta=1., a=0.6,
                     q=0.6))(Z, Y)
    assert_close(
        out,
        torch.tensor([0.290293, 0.893579], dtype=Z.dtype),
        atol=2e-6,
        rtol=0)


UNIFORM_C = 5


def _uniform_expectations():
    # All logits equal: p_k = 1/C, -log p_k = ln C.
    C, lnC = UNIFORM_C, math.log(UNIFORM_C)
    return [
        (dict(type='NCELoss'), 1 / C),
        (dict(type='NFLLoss'), 1 / C),
        (dict(type='NGCELoss', q=0.3), 1 / C),
        (dict(type='NMAELoss'), 1 / C),
        (dict(type='NRCELoss'), 1 / C),
        (dict(type='MAELoss'), 2 * (1 - 1 / C)),
        (dict(type='RCELoss'), -LN_1E4 * (1 - 1 / C)),
        (dict(type='RCELoss', log_zero=-4.0), 4 * (1 - 1 / C)),
        (dict(type='GCELoss', q=0.5), (1 - C**-0.5) / 0.5),
        (dict(type='SoftmaxFocalLoss', gamma=2.), (1 - 1 / C)**2 * lnC),
        (dict(type='AGCELoss', a=2.,
              q=0.5), ((3)**0.5 - (2 + 1 / C)**0.5) / 0.5),
        (dict(type='AULLoss', a=2., q=2.), ((2 - 1 / C)**2 - 1) / 2),
        (dict(type='AELLoss', a=4.), math.exp(-1 / (C * 4))),
        (dict(type='GLSLoss', smooth_rate=-3.0), lnC),
        (dict(type='SCELoss', alpha=2., beta=0.5,
              log_zero=-4.), 2 * lnC + 0.5 * 4 * (1 - 1 / C)),
    ]


@pytest.mark.parametrize('cfg,expected', _uniform_expectations())
def test_uniform_logits(cfg, expected):
    z = torch.full((3, UNIFORM_C), 0.37, dtype=torch.float64)
    out = build(cfg)(z, torch.tensor([0, 2, 4]))
    assert_close(out, torch.full((3, ), expected, dtype=torch.float64))


# ±1000 logits: log p is exact in float32 (differences of small integers).
# z = [1000, -1000, 0]: log p = [0, -2000, -1000], p = [1, 0, 0].
EXTREME = [
    # (cfg, loss at y = 0 (p_y = 1), loss at y = 1 (p_y = 0))
    (dict(type='CrossEntropyLoss'), 0., 2000.),
    (dict(type='SoftmaxFocalLoss', gamma=0.5), 0., 2000.),
    # NCE at y=1: 2000 / (0 + 2000 + 1000)
    (dict(type='NCELoss'), 0., 2 / 3),
    # NFL: FL = [0, 2000, 1000] (the focal factor is 1 for p = 0)
    (dict(type='NFLLoss', gamma=0.5), 0., 2 / 3),
    (dict(type='MAELoss'), 0., 2.),
    (dict(type='NMAELoss'), 0., 0.5),
    (dict(type='RCELoss'), 0., -LN_1E4),
    (dict(type='NRCELoss'), 0., 0.5),
    # GCE with p clamped at 1e-7: (1 - 1e-7^0.7) / 0.7
    (dict(type='GCELoss', q=0.7), 0., (1 - 1e-7**0.7) / 0.7),
    (dict(type='GCELoss', q=0.7, min_prob=0.), 0., 1 / 0.7),
    # NGCE at y=1: (1 - e) / (3 - (1 + 2e)) = 1/2 for any clamp value e
    (dict(type='NGCELoss', q=0.7), 0., 0.5),
    (dict(type='AGCELoss', a=0.6, q=0.6), 0., (1.6**0.6 - 0.6**0.6) / 0.6),
    (dict(type='AULLoss', a=5.5, q=3.), 0., (5.5**3 - 4.5**3) / 3),
    (dict(type='AELLoss', a=2.5), math.exp(-1 / 2.5), 1.),
    # GLS r: r/3 * (0 + 2000 + 1000) at y=0; (1-r) 2000 + 1000 r at y=1
    (dict(type='GLSLoss', smooth_rate=0.3), 300., 0.7 * 2000 + 300.),
    (dict(type='GLSLoss', smooth_rate=-2.), -2000., 3 * 2000 - 2000.),
]


@pytest.mark.parametrize(
    'cfg,at_true,at_wrong',
    EXTREME,
    ids=[c['type'] + str(i) for i, (c, _, _) in enumerate(EXTREME)])
def test_extreme_logits_exact(cfg, at_true, at_wrong):
    z = torch.tensor([[1000., -1000., 0.], [1000., -1000., 0.]])
    out = build(cfg)(z, torch.tensor([0, 1]))
    assert out.dtype == torch.float32
    assert_close(out, torch.tensor([at_true, at_wrong]), atol=1e-6, rtol=1e-6)


@pytest.mark.parametrize('cfg', [
    dict(type='NCELoss'),
    dict(type='NMAELoss'),
    dict(type='NRCELoss'),
    dict(type='NGCELoss', q=0.7),
    dict(type='NGCELoss', q=1.8),
    dict(type='NFLLoss', gamma=0.5),
    dict(type='NFLLoss', gamma=2., detach='none')
])
def test_normalized_losses_sum_to_one_over_labels(cfg):
    torch.manual_seed(0)
    z = torch.randn(6, 7, dtype=torch.float64) * 3
    total = sum(build(cfg)(z, torch.full((6, ), k)) for k in range(7))
    assert_close(total, torch.ones(6, dtype=torch.float64))


def test_nrce_official_scale_is_not_normalised():
    # both repos compute (C-1)/4 * RCE (Python precedence of 1/4*(C-1))
    torch.manual_seed(1)
    z = torch.randn(4, 10, dtype=torch.float64)
    y = torch.tensor([0, 3, 5, 9])
    rce = build(dict(type='RCELoss'))(z, y)
    out = build(dict(type='NRCELoss', official_scale=True))(z, y)
    assert_close(out, rce * 9 / 4)
    total = sum(
        build(dict(type='NRCELoss', official_scale=True))(z,
                                                          torch.full((4, ), k))
        for k in range(10))
    assert not torch.allclose(total, torch.ones_like(total))


@pytest.mark.parametrize('cfg', [
    dict(type='AGCELoss', a=0.6, q=0.6),
    dict(type='AGCELoss', a=4., q=0.2),
    dict(type='AULLoss', a=5.5, q=3.),
    dict(type='AULLoss', a=3., q=0.1)
])
def test_asymmetric_losses_vanish_at_certainty(cfg):
    z = torch.tensor([[50., -50., -50.], [-50., 60., 0.]], dtype=torch.float64)
    out = build(cfg)(z, torch.tensor([0, 1]))
    assert_close(out, torch.zeros(2, dtype=torch.float64), atol=1e-15, rtol=0)


def test_gls_special_cases_equal_cross_entropy():
    torch.manual_seed(2)
    z = torch.randn(8, 6, dtype=torch.float64)
    y = torch.randint(0, 6, (8, ))
    ce = F.cross_entropy(z, y, reduction='none')
    assert_close(build(dict(type='GLSLoss', smooth_rate=0.))(z, y), ce)
    for r in (-8., -0.5, 0.6):
        warm = build(dict(type='GLSLoss', smooth_rate=r, wa=1., wb=0.))
        assert_close(warm(z, y), ce)
        # wa = 0, wb = 1: CE against the smoothed target (1 - r) e_y + r / C
        target = (1 - r) * F.one_hot(y, 6).double() + r / 6
        expected = -(target * z.log_softmax(1)).sum(1)
        assert_close(
            build(dict(type='GLSLoss', smooth_rate=r))(z, y), expected)


def test_gce_small_q_approaches_ce():
    torch.manual_seed(3)
    z = torch.randn(5, 4, dtype=torch.float64)
    y = torch.tensor([0, 1, 2, 3, 0])
    out = build(dict(type='GCELoss', q=1e-6, min_prob=0.))(z, y)
    assert_close(
        out, F.cross_entropy(z, y, reduction='none'), atol=1e-5, rtol=1e-5)
    # q = 1 is MAE in APL form
    out = build(dict(type='GCELoss', q=1.0))(z, y)
    assert_close(out, build(dict(type='MAELoss', scale=1.))(z, y))


def test_sce_with_zero_beta_is_cross_entropy():
    torch.manual_seed(4)
    z = torch.randn(5, 4, dtype=torch.float64)
    y = torch.tensor([0, 1, 2, 3, 0])
    out = build(dict(type='SCELoss', alpha=1., beta=0.))(z, y)
    assert_close(out, F.cross_entropy(z, y, reduction='none'))
