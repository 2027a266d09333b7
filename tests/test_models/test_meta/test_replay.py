# Copyright (c) lnl_mm contributors. All rights reserved.
"""A replayed forward is the forward that ran: same dropout masks, same
batch statistics, running statistics moved once, the caller's random
stream untouched."""
import torch
from torch import nn

from lnl_mm.models.meta import ForwardState, replay_dual_forward
from lnl_mm.models.meta.functional import functional_forward


def net():
    torch.manual_seed(0)
    return nn.Sequential(
        nn.Linear(6, 5), nn.BatchNorm1d(5), nn.ReLU(), nn.Dropout(0.5),
        nn.Linear(5, 3)).double()


def test_replay_repeats_the_forward_and_its_tangent():
    model = net().train()
    x = torch.randn(8, 6, dtype=torch.float64)
    state = ForwardState.capture(model, x)
    out = model(x)  # the real forward: masks drawn, statistics moved
    moved = model[1].running_mean.clone()
    params = dict(model.named_parameters())
    tangents = {k: torch.randn_like(p) for k, p in params.items()}
    after = torch.get_rng_state()
    primal, tangent = replay_dual_forward(model, state, params, tangents, x)
    torch.testing.assert_close(primal, out.detach(), rtol=0, atol=0)
    assert torch.equal(torch.get_rng_state(), after)
    assert torch.equal(model[1].running_mean, moved)
    # the reference tangent: torch.func.jvp of the same functional forward,
    # from the same state (copies of the captured buffers, the same masks)
    torch.set_rng_state(state.cpu_rng)
    _, expected = torch.func.jvp(
        lambda p: functional_forward(
            model,
            p,
            x,
            buffers={
                k: b.clone()
                for k, b in state.buffers.items()
            }), (params, ), (tangents, ))
    torch.testing.assert_close(tangent, expected)


def test_output_function_and_float32():
    model = net().float().train()
    x = torch.randn(4, 6)
    state = ForwardState.capture(model, x)
    params = {k: p.detach() for k, p in model.named_parameters()}
    zeros = {k: torch.zeros_like(p) for k, p in params.items()}
    primal, tangent = replay_dual_forward(
        model, state, params, zeros, x, output=lambda z: z.sum(1))
    assert primal.shape == (4, ) and primal.dtype == torch.float32
    assert torch.equal(tangent, torch.zeros(4))
