# Copyright (c) lnl_mm contributors. All rights reserved.
"""MomentumModel: the EMA formula on weights and BN statistics."""
import copy

import pytest
import torch
import torch.nn as nn

from lnl_mm.models.utils import MomentumModel


def _net():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.Linear(4, 2))


def test_starts_at_the_model_and_blends_every_floating_entry():
    net = _net()
    ema = MomentumModel(net, decay=0.9)
    for k, v in net.state_dict().items():
        assert torch.equal(ema.module.state_dict()[k], v)
    before = copy.deepcopy(ema.module.state_dict())
    # Move the weights and the BN running statistics of the source.
    with torch.no_grad():
        for p in net.parameters():
            p.add_(torch.randn_like(p))
    net.train()
    for _ in range(3):
        net(torch.randn(8, 3))
    ema.update_parameters(net)
    src = net.state_dict()
    for k, avg in ema.module.state_dict().items():
        if k.endswith('num_batches_tracked'):
            assert avg.item() == 0 and src[k].item() == 3  # untouched
            continue
        expected = 0.9 * before[k].double() + 0.1 * src[k].double()
        assert torch.allclose(avg.double(), expected, atol=1e-6), k
    assert 'running_mean' in ''.join(ema.module.state_dict())
    # A second update compounds: avg2 = 0.9 avg1 + 0.1 src.
    first = {k: v.clone() for k, v in ema.module.state_dict().items()}
    ema.update_parameters(net)
    w = '0.weight'
    assert torch.allclose(
        ema.module.state_dict()[w], 0.9 * first[w] + 0.1 * src[w], atol=1e-6)


def test_interval_and_parameters_only():
    net = _net()
    ema = MomentumModel(net, decay=0.5, interval=2, update_buffers=False)
    start = net[0].weight.detach().clone()
    with torch.no_grad():
        net[0].weight.add_(1.0)
    ema.update_parameters(net)  # step 0: 0 % 2 == 0 -> blend
    assert torch.allclose(ema.module[0].weight, start + 0.5)
    ema.update_parameters(net)  # step 1: skipped
    assert torch.allclose(ema.module[0].weight, start + 0.5)
    # Buffers are copied (not averaged) without update_buffers.
    net[1].running_mean.fill_(3.0)
    ema.update_parameters(net)
    assert torch.equal(ema.module[1].running_mean, net[1].running_mean)


@pytest.mark.parametrize('kwargs,match',
                         [(dict(decay=1.0), 'decay must be in'),
                          (dict(decay=0), 'decay'),
                          (dict(interval=0), 'interval')])
def test_bad_options(kwargs, match):
    with pytest.raises(ValueError, match=match):
        MomentumModel(_net(), **kwargs)
