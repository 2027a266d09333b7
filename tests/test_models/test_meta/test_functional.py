# Copyright (c) lnl_mm contributors. All rights reserved.
"""The functional bilevel core, in float64 against independent values."""
import copy

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from lnl_mm.models.meta import (dual_forward, eps_grad_reference,
                                functional_forward, meta_gradient,
                                sgd_direction, sgd_gradient_coefficient,
                                trainable_params, virtual_sgd_step)

SGD_SETTINGS = [
    dict(),
    dict(weight_decay=0.1),
    dict(momentum=0.9),
    dict(momentum=0.9, dampening=0.3, weight_decay=0.05),
    dict(momentum=0.9, nesterov=True),
    dict(momentum=0.8, nesterov=True, weight_decay=0.01),
]
#: (setting, later step?): a later step differs from the first only where
#: a momentum buffer exists, so later=True is tested with momentum only.
STEP_CASES = [(s, later) for s in SGD_SETTINGS for later in (False, True)
              if not later or s.get('momentum')]


def toy_problem(seed=0, batch_norm=False):
    """A small float64 classifier, a train batch and a meta batch."""
    torch.manual_seed(seed)
    layers = [nn.Linear(4, 6)]
    if batch_norm:
        layers.append(nn.BatchNorm1d(6))
    layers += [nn.Tanh(), nn.Linear(6, 3)]
    model = nn.Sequential(*layers).double()
    x, y = torch.randn(5, 4).double(), torch.tensor([0, 1, 2, 1, 0])
    xm, ym = torch.randn(4, 4).double(), torch.tensor([2, 0, 1, 1])

    def per_sample(p):
        return F.cross_entropy(
            functional_forward(model, p, x), y, reduction='none')

    def meta_loss(p):
        return F.cross_entropy(functional_forward(model, p, xm), ym)

    return model, per_sample, meta_loss


def buffers_after_one_step(params, setting):
    """Momentum buffers of a real torch SGD after one step."""
    copies = {
        k: p.detach().clone().requires_grad_(True)
        for k, p in params.items()
    }
    opt = torch.optim.SGD(list(copies.values()), lr=0.1, **setting)
    for p in copies.values():
        p.grad = torch.randn_like(p)
    opt.step()
    return {k: opt.state[p]['momentum_buffer'] for k, p in copies.items()}


def test_virtual_step_two_parameter_closed_form():
    # theta = (w, b), loss = (w x + b - t)^2 / 2 at x = 2, t = 1.
    w, b = torch.tensor(
        0.5, dtype=torch.float64), torch.tensor(
            -1.0, dtype=torch.float64)
    residual = 0.5 * 2 - 1.0 - 1.0  # -1
    grads = dict(
        w=torch.tensor(residual * 2.0, dtype=torch.float64),
        b=torch.tensor(residual, dtype=torch.float64))
    params = dict(w=w, b=b)
    lr, wd, mu = 0.1, 0.01, 0.9
    out = virtual_sgd_step(params, grads, lr)
    assert out['w'].item() == pytest.approx(0.5 - 0.1 * -2.0)
    assert out['b'].item() == pytest.approx(-1.0 - 0.1 * -1.0)
    out = virtual_sgd_step(params, grads, lr, weight_decay=wd)
    assert out['w'].item() == pytest.approx(0.5 - lr * (-2.0 + wd * 0.5))
    bufs = dict(
        w=torch.tensor(0.3, dtype=torch.float64),
        b=torch.tensor(-0.2, dtype=torch.float64))
    out = virtual_sgd_step(
        params, grads, lr, momentum=mu, momentum_buffers=bufs)
    assert out['w'].item() == pytest.approx(0.5 - lr * (mu * 0.3 - 2.0))
    assert out['b'].item() == pytest.approx(-1.0 - lr * (mu * -0.2 - 1.0))
    out = virtual_sgd_step(
        params, grads, lr, momentum=mu, nesterov=True, momentum_buffers=bufs)
    new_buf = mu * 0.3 - 2.0
    assert out['w'].item() == pytest.approx(0.5 - lr * (-2.0 + mu * new_buf))


@pytest.mark.parametrize('setting,later', STEP_CASES)
def test_virtual_step_equals_torch_sgd(setting, later):
    model, _, _ = toy_problem()
    params = {k: p.detach() for k, p in model.named_parameters()}
    grads = {k: torch.randn_like(p) for k, p in params.items()}
    bufs = buffers_after_one_step(params, setting) \
        if later and setting.get('momentum') else None
    ours = virtual_sgd_step(
        params, grads, 0.05, momentum_buffers=bufs, **setting)
    copies = {k: p.clone().requires_grad_(True) for k, p in params.items()}
    opt = torch.optim.SGD(list(copies.values()), lr=0.05, **setting)
    if bufs is not None:
        for k, p in copies.items():
            opt.state[p]['momentum_buffer'] = bufs[k].clone()
    for k, p in copies.items():
        p.grad = grads[k].clone()
    opt.step()
    for k in params:
        torch.testing.assert_close(
            ours[k], copies[k].detach(), rtol=0, atol=1e-14)


@pytest.mark.parametrize('setting', SGD_SETTINGS)
def test_gradient_coefficient_is_the_slope(setting):
    params = dict(p=torch.zeros(3, dtype=torch.float64))
    bufs = dict(p=torch.tensor([0.3, -1.0, 2.0], dtype=torch.float64))
    for first in (True, False):
        kw = dict(setting, momentum_buffers=None if first else bufs)
        g1 = dict(p=torch.tensor([1.0, 2.0, -3.0], dtype=torch.float64))
        g2 = dict(p=2 * g1['p'])
        d1 = sgd_direction(params, g1, **kw)['p']
        d2 = sgd_direction(params, g2, **kw)['p']
        slope = (d2 - d1) / g1['p']
        c = sgd_gradient_coefficient(
            setting.get('momentum', 0.), setting.get('dampening', 0.),
            setting.get('nesterov', False), first)
        torch.testing.assert_close(slope, torch.full_like(slope, c))


def test_eps_grad_matches_central_finite_differences():
    model, per_sample, meta_loss = toy_problem(seed=1)
    params = dict(model.named_parameters())
    lr = 0.3
    eps0 = torch.tensor([0.1, -0.2, 0.05, 0.3, 0.0], dtype=torch.float64)
    auto = eps_grad_reference(per_sample, meta_loss, params, lr, eps=eps0)

    def objective(eps):
        grads = torch.autograd.grad((eps * per_sample(params)).sum(),
                                    list(params.values()))
        stepped = virtual_sgd_step(params, dict(zip(params, grads)), lr)
        return meta_loss(stepped).item()

    h = 1e-6
    for i in range(eps0.numel()):
        e = torch.zeros_like(eps0)
        e[i] = h
        fd = (objective(eps0 + e) - objective(eps0 - e)) / (2 * h)
        assert auto[i].item() == pytest.approx(fd, rel=1e-6, abs=1e-10)


@pytest.mark.parametrize('setting,later', STEP_CASES)
def test_forward_mode_equals_double_backward(setting, later):
    model, per_sample, meta_loss = toy_problem(seed=2, batch_norm=True)
    params = dict(model.named_parameters())
    bufs = buffers_after_one_step(params, setting) \
        if later and setting.get('momentum') else None
    lr = 0.2
    ref = eps_grad_reference(
        per_sample, meta_loss, params, lr, momentum_buffers=bufs, **setting)
    zeros = {k: torch.zeros_like(p) for k, p in params.items()}
    at = virtual_sgd_step(params, zeros, lr, momentum_buffers=bufs, **setting)
    v, _ = meta_gradient(meta_loss, at)
    c = sgd_gradient_coefficient(
        setting.get('momentum', 0.), setting.get('dampening', 0.),
        setting.get('nesterov', False), bufs is None)
    losses, jvp = dual_forward(per_sample, params, {
        k: lr * c * g
        for k, g in v.items()
    })
    torch.testing.assert_close(-jvp, ref, rtol=1e-10, atol=1e-14)
    torch.testing.assert_close(losses, per_sample(params))


def test_functional_passes_leave_batchnorm_buffers_alone():
    model, per_sample, meta_loss = toy_problem(batch_norm=True)
    before = copy.deepcopy(dict(model.named_buffers()))
    params = dict(model.named_parameters())
    eps_grad_reference(per_sample, meta_loss, params, 0.1)
    meta_gradient(meta_loss, params)
    dual_forward(per_sample, params, {
        k: torch.ones_like(p)
        for k, p in params.items()
    })
    for k, b in model.named_buffers():
        assert torch.equal(b, before[k]), k


def test_meta_gradient_reduce_and_trainable_params():
    model, _, meta_loss = toy_problem()
    params = dict(model.named_parameters())
    grads, loss = meta_gradient(meta_loss, params, reduce=lambda g: g.mul_(2))
    ref = torch.autograd.grad(meta_loss(params), list(params.values()))
    for g, r in zip(grads.values(), ref):
        torch.testing.assert_close(g, 2 * r)
    assert not loss.requires_grad
    model[0].weight.requires_grad_(False)
    assert list(trainable_params(model)) == ['0.bias', '2.weight', '2.bias']
    assert list(trainable_params(model, prefix='2.')) == ['2.weight', '2.bias']
    assert list(trainable_params(model, exclude=('2.', ))) == ['0.bias']


def test_first_dual_pass_does_not_warn_about_torch_internals():
    """torch scripts its forward-AD decompositions on the first make_dual
    (a FutureWarning about torch.jit.script); a meta run must not show it.
    A fresh process, since the decompositions load once per process."""
    import subprocess
    import sys
    code = ('import torch\n'
            'from lnl_mm.models.meta.functional import dual_forward\n'
            "p = {'w': torch.randn(3)}\n"
            "dual_forward(lambda q: q['w'] ** 2, p, {'w': torch.ones(3)})\n")
    proc = subprocess.run([sys.executable, '-W', 'error', '-c', code],
                          capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
