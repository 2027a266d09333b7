# Copyright (c) lnl_mm contributors. All rights reserved.
"""The 4-layer and 8-layer CNNs of APL / ALFs."""
import math

import pytest
import torch
import torch.nn as nn
from mmpretrain.registry import MODELS


def _conv(c_in, c_out):  # 3x3 conv with bias + BatchNorm (weight, bias)
    return c_in * c_out * 9 + c_out + 2 * c_out


def test_cnn4_shape_and_parameter_count():
    model = MODELS.build(dict(type='CNN4Layer'))
    model.init_weights()
    out = model(torch.randn(3, 1, 28, 28))
    assert len(out) == 1 and out[0].shape == (3, 128)
    # two conv blocks, FC 64*7*7 -> 128 + BN1d
    expected = _conv(1, 32) + _conv(32, 64) + 64 * 7 * 7 * 128 + 128 + 256
    assert sum(p.numel() for p in model.parameters()) == expected == 420800


def test_cnn8_shape_and_parameter_count():
    model = MODELS.build(dict(type='CNN8Layer'))
    model.init_weights()
    assert model(torch.randn(2, 3, 32, 32))[0].shape == (2, 256)
    widths = [3, 64, 64, 128, 128, 196, 196]
    expected = sum(_conv(a, b) for a, b in zip(widths, widths[1:]))
    expected += 196 * 4 * 4 * 256 + 256 + 2 * 256
    assert sum(p.numel() for p in model.parameters()) == expected


def test_digits_sized_input():
    model = MODELS.build(dict(type='CNN4Layer', input_size=8))
    assert model(torch.randn(2, 1, 8, 8))[0].shape == (2, 128)
    assert model.fc[0].in_features == 64 * 2 * 2


def test_official_initialisation():
    torch.manual_seed(0)
    model = MODELS.build(dict(type='CNN8Layer'))
    model.init_weights()
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            fan_in = m.in_channels * 9
            bound = math.sqrt(2.0) * math.sqrt(3.0 / fan_in)  # kaiming_uniform
            assert m.weight.abs().max() <= bound
            assert m.weight.abs().max() > 0.9 * bound
        elif isinstance(m, nn.Linear):
            bound = math.sqrt(6.0 / (m.in_features + m.out_features))
            assert bound * 0.9 < m.weight.abs().max() <= bound


def test_wrong_input_sizes_fail_clearly():
    model = MODELS.build(dict(type='CNN4Layer'))
    with pytest.raises(ValueError, match=r'input_size=\(28, 28\)'):
        model(torch.randn(1, 1, 32, 32))
    with pytest.raises(ValueError, match='too small'):
        MODELS.build(dict(type='CNN8Layer', input_size=4))
