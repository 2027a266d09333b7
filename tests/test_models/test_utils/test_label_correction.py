# Copyright (c) lnl_mm contributors. All rights reserved.
"""SLN label correction on a hand-built case."""
import math

import pytest
import torch

from lnl_mm.models.utils import minmax_normalize, sln_label_correction


def test_hard_correction_by_hand():
    # Sample 0: confident on its given label 0 -> loss low.
    # Sample 1: predicts 2 but was given 0 -> highest loss -> keeps label 0.
    # Sample 2: uniform -> loss log 3.
    logits = torch.tensor([[math.log(8), 0.0, 0.0], [0.0, 0.0,
                                                     math.log(8)],
                           [0.0, 0.0, 0.0]])
    given = torch.tensor([0, 0, 1])
    onehot = torch.eye(3)[given]
    new, weight = sln_label_correction(logits, onehot, given, 'hard')
    loss = torch.tensor([-math.log(0.8), -math.log(0.1), math.log(3)])
    expected_l = (loss - loss.min()) / (loss.max() - loss.min())
    assert torch.allclose(weight, expected_l)
    assert weight[0] == 0 and weight[1] == 1
    # Sample 0: all weight on the prediction (class 0, equal to its label).
    assert torch.allclose(new[0], torch.tensor([1.0, 0, 0]))
    # Sample 1: keeps its label entirely.
    assert torch.allclose(new[1], torch.tensor([1.0, 0, 0]))
    # Sample 2: l * e_1 + (1 - l) * onehot(argmax = 0, first of ties).
    l2 = float(expected_l[2])
    assert torch.allclose(new[2], torch.tensor([1 - l2, l2, 0.0]))
    assert torch.allclose(new.sum(1), torch.ones(3))


def test_soft_correction_uses_probabilities_and_current_targets():
    logits = torch.tensor([[1.0, 2.0, 0.5], [0.0, 3.0, 0.0], [2.0, 0.0, 1.0]],
                          dtype=torch.float64)
    given = torch.tensor([1, 0, 2])
    current = torch.tensor([[0.2, 0.8, 0.0], [0.5, 0.5, 0.0], [0.0, 0.0, 1.0]])
    new, weight = sln_label_correction(logits, current, given, 'soft')
    p = torch.softmax(logits, 1)
    loss = -(current.double() * p.log()).sum(1)
    w = (loss - loss.min()) / (loss.max() - loss.min())
    expected = w[:, None] * torch.eye(3, dtype=torch.float64)[given] + \
        (1 - w[:, None]) * p
    assert torch.allclose(new.double(), expected, atol=1e-6)
    assert torch.allclose(new.sum(1), torch.ones(3, dtype=torch.float32))


def test_equal_losses_keep_given_labels_and_bad_input():
    assert torch.equal(minmax_normalize(torch.full((4, ), 2.0)), torch.ones(4))
    z = torch.zeros(3, 4)
    new, weight = sln_label_correction(z,
                                       torch.eye(4)[[0, 1, 2]],
                                       torch.tensor([0, 1, 2]))
    assert torch.equal(weight, torch.ones(3))
    assert torch.equal(new, torch.eye(4)[[0, 1, 2]])
    with pytest.raises(ValueError, match="mode must be one of"):
        sln_label_correction(z, z, torch.tensor([0, 1, 2]), 'argmax')
    with pytest.raises(ValueError, match='must be'):
        sln_label_correction(z, z[:2], torch.tensor([0, 1, 2]))
