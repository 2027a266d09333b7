# Copyright (c) lnl_mm contributors. All rights reserved.
"""bfloat16 autocast on the CPU: the forward computes in bfloat16, the
parameters, gradients and steps stay float32, bad options are named."""
import pytest
import torch
from mmpretrain.registry import OPTIM_WRAPPERS
from torch import nn

import lnl_mm  # noqa: F401


def test_forward_in_bfloat16_step_in_float32():
    torch.manual_seed(0)
    model = nn.Linear(4, 3)
    ow = OPTIM_WRAPPERS.build(
        dict(
            type='BF16AutocastOptimWrapper',
            optimizer=torch.optim.SGD(model.parameters(), lr=0.1)))
    x = torch.randn(5, 4)
    before = model.weight.detach().clone()
    with ow.optim_context(model):
        out = model(x)
    assert out.dtype == torch.bfloat16
    # the bfloat16 product, against float32 arithmetic
    ref = x @ before.t() + model.bias.detach()
    torch.testing.assert_close(out.float(), ref, rtol=2e-2, atol=2e-2)
    ow.update_params(out.float().square().mean())
    assert model.weight.dtype == torch.float32
    assert not torch.equal(model.weight.detach(), before)
    with pytest.raises(ValueError, match="device_type must be None, 'cpu'"):
        OPTIM_WRAPPERS.build(
            dict(
                type='BF16AutocastOptimWrapper',
                optimizer=torch.optim.SGD(model.parameters(), lr=0.1),
                device_type='tpu'))
