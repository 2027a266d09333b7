# Copyright (c) lnl_mm contributors. All rights reserved.
"""Dynamic Loss's meta-net, ranks, meta set and imbalance counts."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from lnl_mm.datasets import long_tail_counts
from lnl_mm.engine.runner import hierarchical_meta_set
from lnl_mm.models.meta import DynamicLossMetaNet, loss_ranks


def test_rank_formula_within_each_class():
    # class 0 has 4 samples, class 1 has 3; R = 10:
    # floor(j / (n + 1) * R) = 0, 2, 4, 6 and 0, 2, 5.
    labels = np.array([0, 1, 0, 0, 1, 0, 1])
    losses = np.array([0.9, 0.5, 0.1, 0.3, 0.2, 0.7, 0.8])
    ranks = loss_ranks(losses, labels, 2, 10)
    assert ranks.tolist() == [6, 2, 0, 2, 0, 4, 5]
    big = loss_ranks(
        np.random.default_rng(0).random(1000), np.zeros(1000, int), 1, 100)
    assert big.min() == 0 and big.max() == 99
    with pytest.raises(ValueError, match='same shape'):
        loss_ranks(losses[:3], labels, 2, 10)


def test_initial_trust_and_margins():
    torch.manual_seed(0)
    net = DynamicLossMetaNet(num_classes=10)
    trust = net.trust_table()
    assert trust.shape == (100, 10)
    # sigmoid(3.98) = 0.9817, perturbed by the Xavier-initialised layers.
    assert abs(trust.mean().item() - torch.sigmoid(torch.tensor(3.98))) \
        < 0.005
    assert ((trust > 0.96) & (trust < 0.995)).all()
    assert net.margins().shape == (1, 10)
    assert torch.equal(net.corrector[4].bias, torch.full((10, ), 3.98))
    assert torch.equal(net.margin_generator[4].bias, torch.ones(10))


def test_corrected_targets_sum_to_one_and_mix_as_defined():
    torch.manual_seed(0)
    net = DynamicLossMetaNet(num_classes=4, rank_num=5, hidden=8)
    ranks, labels = torch.tensor([0, 4, 2]), torch.tensor([1, 3, 0])
    logits = torch.randn(3, 4)
    targets, margins = net(ranks, labels, logits)
    torch.testing.assert_close(targets.sum(1), torch.ones(3))
    g = net.trust(ranks, labels)
    hard = (targets - g[:, None] * F.one_hot(labels, 4)) / (1 - g[:, None])
    assert ((hard == 0) | (hard - 1).abs().lt(1e-5)).all()  # one-hot sample
    soft = net.corrected_targets(ranks, labels, F.softmax(logits, 1))
    torch.testing.assert_close(soft.sum(1), torch.ones(3))
    table = net.trust_table()
    torch.testing.assert_close(g, table[ranks, labels])
    with pytest.raises(ValueError, match='ranks must lie'):
        net.trust(torch.tensor([5]), torch.tensor([0]))
    with pytest.raises(ValueError, match='rank_num'):
        DynamicLossMetaNet(num_classes=4, rank_num=0)


def test_imbalance_counts_rho_0_1():
    assert long_tail_counts(5000, 10, 0.1) == [
        5000, 3871, 2997, 2320, 1796, 1391, 1077, 834, 645, 500
    ]
    assert long_tail_counts(5000, 10, 0.01)[-1] == 50


def test_hierarchical_meta_set():
    rng = np.random.default_rng(0)
    labels = np.repeat(np.arange(3), [40, 20, 12])
    losses = rng.random(labels.size)
    meta = hierarchical_meta_set(losses, labels, 3, np.random.default_rng(1))
    # per class: 6 drawn at random (0.5 * 12), the 3 lowest kept
    assert np.bincount(labels[meta]).tolist() == [3, 3, 3]
    again = hierarchical_meta_set(losses, labels, 3, np.random.default_rng(1))
    assert np.array_equal(meta, again)
    draw = np.random.default_rng(1)
    for c in range(3):
        drawn = draw.choice(np.flatnonzero(labels == c), 6, replace=False)
        kept = drawn[np.argsort(losses[drawn])[:3]]
        assert set(kept) == set(meta[labels[meta] == c])
    with pytest.raises(ValueError, match='smallest class'):
        hierarchical_meta_set(losses[:41], labels[:41], 3,
                              np.random.default_rng(0))


def test_gumbel_prediction_is_a_hard_sample_of_the_softmax():
    logits = torch.tensor([[1.0, 0.0, -1.0]]).repeat(20000, 1)
    gen = torch.Generator().manual_seed(0)
    sample = DynamicLossMetaNet.gumbel_prediction(logits, gen)
    assert torch.equal(sample.sum(1), torch.ones(20000))
    assert set(sample.unique().tolist()) == {0.0, 1.0}
    freq = sample.mean(0)
    p = F.softmax(logits[0], 0)
    assert (freq - p).abs().max() < 4 * (p * (1 - p) / 20000).sqrt().max()
    again = DynamicLossMetaNet.gumbel_prediction(
        logits,
        torch.Generator().manual_seed(0))
    assert torch.equal(sample, again)


def test_ablation_switches():
    """The official use_LC / use_MG / LC_classwise: a disabled part has no
    parameters; no corrector is trust 1 (the given label), no generator is
    margin 0; a shared corrector has one output."""
    labels = torch.tensor([0, 3, 5])
    ranks = torch.tensor([0, 7, 19])
    pred = F.one_hot(torch.tensor([1, 1, 1]), 6).float()
    no_lc = DynamicLossMetaNet(num_classes=6, rank_num=20, use_corrector=False)
    assert not any('corrector' in n or 'rank_embedding' in n
                   for n, _ in no_lc.named_parameters())
    assert torch.equal(no_lc.trust(ranks, labels), torch.ones(3))
    assert torch.equal(
        no_lc.corrected_targets(ranks, labels, pred),
        F.one_hot(labels, 6).float())
    no_mg = DynamicLossMetaNet(num_classes=6, rank_num=20, use_margins=False)
    assert not any('margin' in n or 'class_embedding' in n
                   for n, _ in no_mg.named_parameters())
    assert torch.equal(no_mg.margins(), torch.zeros(1, 6))
    flat = DynamicLossMetaNet(num_classes=6, rank_num=20, classwise=False)
    assert flat.corrector[-1].out_features == 1
    table = flat.trust_table()
    assert table.shape == (20, 1)
    # one curve: the trust depends on the rank only
    assert torch.allclose(
        flat.trust(torch.tensor([7, 7]), torch.tensor([0, 5])),
        table[7].expand(2))
    with pytest.raises(ValueError, match='nothing to meta-learn'):
        DynamicLossMetaNet(
            num_classes=6, use_corrector=False, use_margins=False)
    with pytest.raises(TypeError, match='classwise must be a bool'):
        DynamicLossMetaNet(num_classes=6, classwise=1)
