# Copyright (c) lnl_mm contributors. All rights reserved.
"""VirtualSGD is the real optimizer's next step, without taking it."""
import pytest
import torch
from torch import nn

from lnl_mm.models.meta import VirtualSGD


def model_and_optimizer(**sgd_kwargs):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 3), nn.Linear(3, 2)).double()
    groups = [
        dict(params=model[0].parameters()),
        dict(params=model[1].parameters(), lr=0.03, weight_decay=1e-2)
    ]
    return model, torch.optim.SGD(groups, lr=0.1, **sgd_kwargs)


def loss(model, seed):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(5, 4, generator=g, dtype=torch.float64)
    return model(x).square().mean()


def real_steps(model, optimizer, n):
    for i in range(n):
        optimizer.zero_grad()
        loss(model, i).backward()
        optimizer.step()


SETTINGS = [
    dict(),
    dict(momentum=0.9, weight_decay=5e-4),
    dict(momentum=0.9, dampening=0.1, weight_decay=5e-4),
    dict(momentum=0.9, nesterov=True, weight_decay=5e-4),
]


@pytest.mark.parametrize('kwargs', SETTINGS)
@pytest.mark.parametrize('history', [0, 3])
def test_step_equals_the_real_optimizer_step(kwargs, history):
    """After ``history`` real steps (momentum buffers present or not), the
    virtual step lands where ``torch.optim.SGD.step`` then goes."""
    model, optimizer = model_and_optimizer(**kwargs)
    real_steps(model, optimizer, history)
    params = dict(model.named_parameters())
    grads = dict(
        zip(params, torch.autograd.grad(loss(model, 99), params.values())))
    virtual = VirtualSGD.from_optimizer(
        optimizer, params, momentum=True,
        weight_decay=True).step(params, grads)
    for name, p in params.items():
        p.grad = grads[name].clone()
    optimizer.step()
    for name, p in params.items():
        torch.testing.assert_close(
            virtual[name], p.detach(), rtol=0, atol=1e-15)


@pytest.mark.parametrize('kwargs', SETTINGS)
@pytest.mark.parametrize('history', [0, 3])
def test_tangents_are_the_slope_of_the_step(kwargs, history):
    """``tangents(u)`` is minus the derivative of ``step`` in the gradient
    along ``u`` (forward-mode AD of the step itself, float64)."""
    model, optimizer = model_and_optimizer(**kwargs)
    real_steps(model, optimizer, history)
    params = {k: p.detach() for k, p in model.named_parameters()}
    opt = VirtualSGD.from_optimizer(
        optimizer,
        dict(model.named_parameters()),
        momentum=True,
        weight_decay=True)
    grads = {k: torch.randn_like(p) for k, p in params.items()}
    u = {k: torch.randn_like(p) for k, p in params.items()}
    _, derivative = torch.func.jvp(lambda g: opt.step(params, g), (grads, ),
                                   (u, ))
    tangents = opt.tangents(u)
    for k in params:
        torch.testing.assert_close(tangents[k], -derivative[k])


def test_switches_and_plain_sgd_for_other_optimizers():
    model, optimizer = model_and_optimizer(momentum=0.9, weight_decay=5e-4)
    real_steps(model, optimizer, 2)
    params = dict(model.named_parameters())
    plain = VirtualSGD.from_optimizer(optimizer, params)  # the defaults
    grads = {k: torch.ones_like(p) for k, p in params.items()}
    stepped = plain.step(params, grads)
    assert torch.allclose(stepped['0.weight'], params['0.weight'] - 0.1)
    assert torch.allclose(stepped['1.weight'], params['1.weight'] - 0.03)
    adam = torch.optim.Adam(model.parameters(), lr=1e-3)
    stepped = VirtualSGD.from_optimizer(
        adam, params, momentum=False, weight_decay=False).step(params, grads)
    assert torch.allclose(stepped['0.bias'], params['0.bias'] - 1e-3)


def test_bad_optimizers_are_refused_by_name():
    model, optimizer = model_and_optimizer()
    params = dict(model.named_parameters())
    with pytest.raises(
            ValueError,
            match='need optim_wrapper.optimizer of '
            'type SGD, got Adam'):
        VirtualSGD.from_optimizer(
            torch.optim.Adam(model.parameters()), params, momentum=True)
    with pytest.raises(ValueError, match='parameter extra is not in the'):
        VirtualSGD.from_optimizer(
            optimizer, dict(params, extra=nn.Parameter(torch.zeros(1))))
    backwards = torch.optim.SGD(model.parameters(), lr=0.1, maximize=True)
    with pytest.raises(ValueError, match='maximize=True'):
        VirtualSGD.from_optimizer(backwards, params)
