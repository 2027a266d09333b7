# Copyright (c) lnl_mm contributors. All rights reserved.
"""NLNL against the official class of ALFs / APL, written out (float64)."""
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from mmpretrain.registry import MODELS
from torch.testing import assert_close

from lnl_mm.models.losses import NLNLLoss, nlnl_loss


def official_nlnl(pred, labels, labels_neg, weight):
    """The official forward, with its complementary draw passed in."""
    ln_neg = labels_neg.size(1)
    s_neg = torch.log(torch.clamp(1. - F.softmax(pred, 1), min=1e-5, max=1.))
    s_neg = s_neg * weight[labels].unsqueeze(-1).expand(s_neg.size())
    ignored = labels * 0 - 100
    pos = F.cross_entropy(
        pred, ignored, weight=weight) * float((ignored >= 0).sum())
    neg = F.nll_loss(
        s_neg.repeat(ln_neg, 1),
        labels_neg.t().contiguous().view(-1)) * float((labels_neg >= 0).sum())
    total = float((ignored >= 0).sum()) + float((labels_neg[:, 0] >= 0).sum())
    return (pos + neg) / total, neg / total


def official_weight(train_targets, num_classes):
    weight = torch.zeros(num_classes, dtype=torch.float64)
    for i in range(num_classes):
        weight[i] = (torch.as_tensor(train_targets) == i).sum()
    return 1 / (weight / weight.max())


@pytest.mark.parametrize('ln_neg', [1, 3, 12])
def test_values_and_gradients_equal_the_official_negative_term(ln_neg):
    torch.manual_seed(0)
    c = 5
    z = torch.randn(8, c, dtype=torch.float64, requires_grad=True)
    y = torch.tensor([0, 1, 2, 3, 4, 0, 2, 2])
    neg = (y[:, None] + torch.randint(1, c, (8, ln_neg))) % c
    targets = [0] * 30 + [1] * 10 + [2] * 25 + [3] * 5 + [4] * 30
    w = official_weight(targets, c)
    full, negative_only = official_nlnl(z, y, neg, w)
    # the official value is NaN on current PyTorch (its all-ignored CE)
    assert math.isnan(full.item())
    ours = nlnl_loss(z, y, neg, w).mean()
    assert_close(ours, negative_only)
    (g, ) = torch.autograd.grad(ours, z)
    (g_ref, ) = torch.autograd.grad(negative_only, z)
    assert_close(g, g_ref)


def test_module_weights_come_from_the_counts_and_draws_avoid_the_label():
    loss = NLNLLoss(num_negatives=50, seed=3)
    loss.set_train_label_counts([30, 10, 25, 5, 30])
    assert_close(
        loss.weight_table.double(),
        official_weight([0] * 30 + [1] * 10 + [2] * 25 + [3] * 5 + [4] * 30,
                        5))
    torch.manual_seed(0)
    z = torch.randn(6, 5, dtype=torch.float64, requires_grad=True)
    y = torch.tensor([0, 1, 2, 3, 4, 0])
    # recover the drawn labels from the gradient: only drawn columns move
    gen = NLNLLoss(num_negatives=50, seed=3).next_generator(z.device)
    offset = torch.randint(1, 5, (6, 50), generator=gen)
    neg = (y[:, None] + offset) % 5
    assert not bool((neg == y[:, None]).any())
    assert_close(
        loss(z, y, reduction_override='none'),
        nlnl_loss(z, y, neg, loss.weight_table.double()))
    assert int(loss.num_draws) == 1


def test_eval_mode_is_the_expectation_over_the_draw():
    torch.manual_seed(1)
    z = torch.randn(4, 6, dtype=torch.float64)
    y = torch.tensor([0, 3, 5, 1])
    loss = NLNLLoss(num_negatives=2, class_weight=None)
    loss.eval()
    expected = loss(z, y, reduction_override='none')
    assert int(loss.num_draws) == 0  # no draw consumed
    by_hand = torch.tensor([
        -2 * sum(
            math.log(1 - F.softmax(z[i], 0)[k].item())
            for k in range(6) if k != y[i]) / 5 for i in range(4)
    ],
                           dtype=torch.float64)
    assert_close(expected, by_hand)
    loss.train()
    mean = torch.stack(
        [loss(z, y, reduction_override='none') for _ in range(4000)]).mean(0)
    assert_close(mean, expected, rtol=0.03, atol=0.0)


def test_seeded_draws_resume_and_differ_between_calls():
    z = torch.randn(16, 10)
    y = torch.randint(0, 10, (16, ))
    a = NLNLLoss(class_weight=None, seed=5)
    first = [a(z, y) for _ in range(3)]
    b = NLNLLoss(class_weight=None, seed=5)
    b.load_state_dict(a.state_dict())  # resume after three calls
    a_next, b_next = a(z, y), b(z, y)
    assert a_next == b_next
    assert len({float(v) for v in first}) == 3


def test_finite_on_extreme_logits_and_amp():
    z = torch.tensor([[1e4, -1e4, 0., 3.], [-1e4, 1e4, 0., 0.]],
                     requires_grad=True)
    loss = NLNLLoss(num_negatives=4, class_weight=None)
    value = loss(z, torch.tensor([1, 0]))
    value.backward()
    assert torch.isfinite(value) and torch.isfinite(z.grad).all()
    half = loss(z.detach().half(), torch.tensor([1, 0]))
    assert half.dtype == torch.float32 and torch.isfinite(half)
    # a complementary class predicted with p = 1 hits the official clamp:
    # at most -log(1e-5) per draw instead of infinity
    assert value.item() <= 4 * -math.log(1e-5) + 1e-4


def test_bad_options_and_missing_counts():
    with pytest.raises(ValueError, match='num_negatives must be an int'):
        NLNLLoss(num_negatives=0)
    with pytest.raises(ValueError, match="class_weight must be one of"):
        NLNLLoss(class_weight='balanced')
    with pytest.raises(ValueError, match='one finite weight >= 0'):
        NLNLLoss(class_weight=[1.0, -1.0])
    loss = NLNLLoss()
    with pytest.raises(RuntimeError, match='TrainLabelCountsHook'):
        loss(torch.randn(2, 3), torch.tensor([0, 1]))
    loss.set_train_label_counts([3, 0, 1])  # a class nobody is given
    assert loss.weight_table.tolist() == [1.0, 0.0, 3.0]
    with pytest.raises(ValueError, match='3 class weights for 4 classes'):
        loss(torch.randn(2, 4), torch.tensor([0, 1]))
    with pytest.raises(TypeError, match='soft targets'):
        loss(torch.randn(2, 3), torch.full((2, 3), 1 / 3))
    with pytest.raises(ValueError, match='label counts'):
        loss.set_train_label_counts([0, 0, 0])
    explicit = MODELS.build(
        dict(type='NLNLLoss', class_weight=[1.0, 2.0, 0.5]))
    explicit.set_train_label_counts([9, 9, 9])  # explicit weights stay
    assert explicit.weight_table.tolist() == [1.0, 2.0, 0.5]


def test_presets():
    from lnl_mm.models.losses import loss_preset
    assert loss_preset('NLNL', 'cifar100', 'apl_code')[0] == dict(
        type='NLNLLoss', num_negatives=110)
    assert loss_preset('NLNL', 'cifar100', 'alfs_code')[0] == dict(
        type='NLNLLoss', num_negatives=1)
    counts = np.bincount([0, 0, 1, 2], minlength=3)
    loss = MODELS.build(dict(type='LossPreset', loss='NLNL', dataset='mnist'))
    loss.set_train_label_counts(counts)
    assert loss.weight_table.tolist() == [1.0, 2.0, 2.0]
