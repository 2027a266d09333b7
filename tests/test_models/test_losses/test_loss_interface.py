# Copyright (c) lnl_mm contributors. All rights reserved.
"""mmpretrain interface of the robust losses: reductions, soft targets,
bad arguments, use inside a head."""
import math

import pytest
import torch
import torch.nn.functional as F
from mmpretrain.models.heads import LinearClsHead
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample
from torch.testing import assert_close

# losses whose soft-target form is the expectation sum_k t_k L(z, k)
EXPECTATION = [
    dict(type='SoftmaxFocalLoss'),
    dict(type='GCELoss'),
    dict(type='NCELoss'),
    dict(type='NFLLoss'),
    dict(type='NMAELoss'),
    dict(type='NGCELoss'),
    dict(type='AGCELoss'),
    dict(type='AULLoss'),
    dict(type='AELLoss'),
    dict(type='GLSLoss', smooth_rate=-0.5),
    dict(type='NCEandAULLoss'),
    dict(type='NCEandAGCELoss')
]


def _none(cfg):
    return MODELS.build(dict(cfg, reduction='none'))


@pytest.mark.parametrize('cfg', EXPECTATION, ids=lambda c: c['type'])
def test_soft_target_is_expectation_over_labels(cfg):
    torch.manual_seed(0)
    z = torch.randn(5, 4, dtype=torch.float64)
    y1, y2 = torch.tensor([0, 1, 2, 3, 0]), torch.tensor([1, 1, 3, 0, 2])
    lam = torch.tensor([0.3, 0.5, 0.9, 0.0, 0.7], dtype=torch.float64)
    mixed = lam[:, None] * F.one_hot(y1, 4) + (1 - lam[:, None]) * \
        F.one_hot(y2, 4)
    loss = _none(cfg)
    assert_close(loss(z, mixed), lam * loss(z, y1) + (1 - lam) * loss(z, y2))


@pytest.mark.parametrize(
    'cfg',
    EXPECTATION + [
        dict(type='MAELoss'),
        dict(type='RCELoss'),
        dict(type='SCELoss'),
        dict(type='NRCELoss'),
        dict(type='NCEandRCELoss'),
        dict(type='NCEandMAELoss')
    ],
    ids=lambda c: c['type'])
def test_one_hot_soft_target_equals_index(cfg):
    torch.manual_seed(1)
    z = torch.randn(6, 5, dtype=torch.float64)
    y = torch.tensor([0, 4, 2, 1, 3, 0])
    loss = _none(cfg)
    assert_close(loss(z, F.one_hot(y, 5).double()), loss(z, y))


def test_mae_and_rce_soft_targets_use_their_distribution_formulas():
    # hand case: z = 0 over 2 classes, p = (1/2, 1/2), t = (0.8, 0.2)
    z = torch.zeros(1, 2, dtype=torch.float64)
    t = torch.tensor([[0.8, 0.2]], dtype=torch.float64)
    # MAE: s/2 * (|0.8-0.5| + |0.2-0.5|) = 0.3 s
    assert_close(
        _none(dict(type='MAELoss'))(z, t),
        torch.tensor([0.6], dtype=torch.float64))
    # RCE: -(0.5 log 0.8 + 0.5 log 0.2)
    expected = -(0.5 * math.log(0.8) + 0.5 * math.log(0.2))
    assert_close(
        _none(dict(type='RCELoss'))(z, t),
        torch.tensor([expected], dtype=torch.float64))


@pytest.mark.parametrize('reduction', ['none', 'mean', 'sum'])
@pytest.mark.parametrize('use_weight', [False, True])
@pytest.mark.parametrize('avg_factor', [None, 2.5])
def test_reductions_match_manual(reduction, use_weight, avg_factor):
    torch.manual_seed(2)
    z = torch.randn(6, 3)
    y = torch.tensor([0, 1, 2, 0, 1, 2])
    w = torch.rand(6) if use_weight else None
    per_sample = _none(dict(type='GCELoss'))(z, y)
    weighted = per_sample * (w if use_weight else 1)
    loss = MODELS.build(
        dict(type='GCELoss', reduction=reduction, loss_weight=3.))
    if avg_factor is not None and reduction == 'sum':
        with pytest.raises(ValueError, match='avg_factor'):
            loss(z, y, weight=w, avg_factor=avg_factor)
        return
    out = loss(z, y, weight=w, avg_factor=avg_factor)
    if reduction == 'none':
        expected = weighted
    elif reduction == 'sum':
        expected = weighted.sum()
    else:
        expected = weighted.sum() / (avg_factor or len(y))
    assert_close(out, 3. * expected)
    override = loss(z, y, weight=w, reduction_override='none')
    assert_close(override, 3. * weighted)


BAD_ARGS = [
    (dict(type='GCELoss', q=0.), 'GCELoss: q must be'),
    (dict(type='GCELoss', q=-0.5), 'GCELoss: q must be'),
    (dict(type='GCELoss', min_prob=1.), 'GCELoss: min_prob'),
    (dict(type='NGCELoss', q=0.), 'NGCELoss: q must be'),
    (dict(type='AGCELoss', a=0.), 'AGCELoss: a must be'),
    (dict(type='AGCELoss', q=float('nan')), 'AGCELoss: q must be'),
    (dict(type='AULLoss', a=1.), 'AULLoss: a must be .* > 1'),
    (dict(type='AULLoss', q=0.), 'AULLoss: q must be'),
    (dict(type='AELLoss', a=-1.), 'AELLoss: a must be'),
    (dict(type='SoftmaxFocalLoss', gamma=-1.), 'SoftmaxFocalLoss: gamma'),
    (dict(type='NFLLoss', gamma=-1.), 'NFLLoss: gamma'),
    (dict(type='RCELoss', log_zero=0.), 'RCELoss: log_zero'),
    (dict(type='SCELoss', log_zero=1.), 'SCELoss: log_zero'),
    (dict(type='SCELoss', alpha=-1.), 'SCELoss: alpha and beta'),
    (dict(type='MAELoss', scale=0.), 'MAELoss: scale'),
    (dict(type='NCELoss', reduction='avg'), 'NCELoss: reduction'),
    (dict(type='GLSLoss', smooth_rate=float('inf')), 'GLSLoss: smooth_rate'),
    (dict(type='GLSLoss', smooth_rate=1.5),
     r"GLSLoss: smooth_rate must be <= 1 \(the paper's range.*got "
     'smooth_rate=1.5'),
    (dict(type='NCEandMAELoss', beta=-1.), 'NCEandMAELoss: alpha and beta'),
    (dict(type='NCEandAGCELoss', a=-1.), 'AGCELoss: a must be'),
    (dict(
        type='ActivePassiveLoss',
        active=dict(type='CrossEntropyLoss'),
        passive=dict(type='MAELoss')), 'no per-sample form'),
    (dict(
        type='ActivePassiveLoss',
        active='NCELoss',
        passive=dict(type='MAELoss')), 'active must be a loss config'),
]


@pytest.mark.parametrize(
    'cfg,match',
    BAD_ARGS,
    ids=[c['type'] + str(i) for i, (c, _) in enumerate(BAD_ARGS)])
def test_bad_arguments_fail_with_the_option_name(cfg, match):
    with pytest.raises((ValueError, TypeError), match=match):
        MODELS.build(cfg)


def test_gls_requires_an_explicit_smooth_rate():
    with pytest.raises(TypeError, match='smooth_rate'):
        MODELS.build(dict(type='GLSLoss'))


def test_bad_inputs_fail_clearly():
    loss = MODELS.build(dict(type='NCELoss'))
    z = torch.randn(4, 3)
    with pytest.raises(ValueError, match='NCELoss: 3 labels for 4 scores'):
        loss(z, torch.tensor([0, 1, 2]))
    with pytest.raises(ValueError, match='soft target shape'):
        loss(z, torch.rand(4, 5))
    with pytest.raises(TypeError, match='index labels must be integers'):
        loss(z, torch.tensor([0., 1., 2., 0.]))
    with pytest.raises(ValueError, match='at least 2 classes'):
        loss(torch.randn(4, 1), torch.zeros(4, dtype=torch.long))
    with pytest.raises(ValueError, match='reduction_override'):
        loss(z, torch.tensor([0, 1, 2, 0]), reduction_override='avg')
    with pytest.raises(TypeError, match='unexpected arguments'):
        loss(z, torch.tensor([0, 1, 2, 0]), class_weight=[1, 1, 1])


@pytest.mark.parametrize('loss_cfg', [
    dict(type='NCEandAGCELoss'),
    dict(type='GLSLoss', smooth_rate=-0.2),
    dict(type='LossPreset', loss='NCE+RCE', dataset='cifar10')
])
def test_inside_a_linear_cls_head_with_index_and_mixup_targets(loss_cfg):
    torch.manual_seed(3)
    head = LinearClsHead(num_classes=4, in_channels=8, loss=loss_cfg)
    feats = (torch.randn(3, 8), )
    samples = [DataSample().set_gt_label(i) for i in (0, 2, 3)]
    losses = head.loss(feats, samples)
    expected = head.loss_module(
        head(feats), torch.tensor([0, 2, 3]), avg_factor=3)
    assert_close(losses['loss'], expected)
    # Mixup packs gt_score; the loss is the expectation / soft form
    scores = torch.tensor([[0.7, 0.3, 0, 0], [0, 0, 1., 0], [0, .5, 0, .5]])
    soft = [
        DataSample().set_gt_label(i).set_gt_score(s)
        for i, s in zip((0, 2, 3), scores)
    ]
    head.cal_acc = False
    out = head.loss(feats, soft)['loss']
    assert torch.isfinite(out)
    logits = head(feats)
    per = head.loss_module(logits, scores, reduction_override='none')
    by_index = head.loss_module(
        logits, torch.tensor([0, 2, 3]), reduction_override='none')
    assert_close(out, per.mean())  # the head reduces the soft form
    assert_close(per[1], by_index[1])  # a one-hot row is the index loss
    assert not torch.allclose(per[0], by_index[0])  # a mixed row is not
    out.backward()
    assert head.fc.weight.grad is not None
