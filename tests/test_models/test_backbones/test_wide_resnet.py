# Copyright (c) lnl_mm contributors. All rights reserved.
"""WRN-28-2 of SLN: shape, size, bad options."""
import pytest
import torch

from lnl_mm.models.backbones import WideResNetCIFAR


def test_wrn28_2_shape_and_parameter_count():
    net = WideResNetCIFAR(depth=28, widen_factor=2)
    out = net(torch.zeros(2, 3, 32, 32))
    assert len(out) == 1 and out[0].shape == (2, 128, 8, 8)
    # Counted from the official architecture (biased convs, 1x1 shortcuts).
    assert sum(p.numel() for p in net.parameters()) == 1468352
    assert net.bn.momentum == 0.1
    assert WideResNetCIFAR(final_bn_momentum=0.9).bn.momentum == 0.9
    assert (out[0] >= 0).all()  # ends with BN-ReLU


def test_wrn_depth_10_and_dropout():
    net = WideResNetCIFAR(depth=10, widen_factor=1, dropout=0.3)
    assert len(net.layer1) == 1
    assert net(torch.zeros(1, 3, 16, 16))[0].shape == (1, 64, 4, 4)


@pytest.mark.parametrize('kwargs,match',
                         [(dict(depth=27), 'depth must be 6n \\+ 4'),
                          (dict(widen_factor=0), 'widen_factor'),
                          (dict(dropout=1.0), 'dropout')])
def test_bad_options(kwargs, match):
    with pytest.raises(ValueError, match=match):
        WideResNetCIFAR(**kwargs)
