# Copyright (c) lnl_mm contributors. All rights reserved.
import pytest
import torch
from mmpretrain.registry import MODELS

import lnl_mm  # noqa: F401


def test_resnet32_layout_and_parameter_count():
    net = MODELS.build(dict(type='CIFARResNet', depth=32))
    convs = [m for m in net.modules() if isinstance(m, torch.nn.Conv2d)]
    assert len(convs) == 1 + 2 * 15  # stem + 3 stages x 5 blocks x 2
    # 0.46 M: 463,504 in the backbone with the parameter-free shortcut A.
    assert sum(p.numel() for p in net.parameters()) == 463_504
    out = net(torch.randn(2, 3, 32, 32))
    assert len(out) == 1 and out[0].shape == (2, 64, 8, 8)
    b = MODELS.build(dict(type='CIFARResNet', depth=20, shortcut='B'))
    assert b(torch.randn(1, 3, 32, 32))[0].shape == (1, 64, 8, 8)
    assert sum(isinstance(m, torch.nn.Conv2d) for m in b.modules()) == 21


def test_shortcut_a_pads_channels_with_zeros():
    from lnl_mm.models.backbones.cifar_resnet import CIFARBasicBlock
    block = CIFARBasicBlock(16, 32, 2, 'A')
    for m in (block.conv1, block.conv2):
        torch.nn.init.zeros_(m.weight)
    x = torch.rand(1, 16, 8, 8)
    out = block(x)  # residual branch is BN(0) = 0: relu(identity)
    assert torch.equal(out[:, 8:24], x[:, :, ::2, ::2])
    assert torch.equal(out[:, :8], torch.zeros(1, 8, 4, 4))


@pytest.mark.parametrize('kwargs,match', [(dict(depth=30), 'depth'),
                                          (dict(shortcut='C'), 'shortcut')])
def test_bad_options(kwargs, match):
    with pytest.raises(ValueError, match=match):
        MODELS.build(dict(type='CIFARResNet', **kwargs))
