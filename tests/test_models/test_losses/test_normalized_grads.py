# Copyright (c) lnl_mm contributors. All rights reserved.
"""The closed-form NFL / NGCE backward against autograd of the formulas,
re-derived here in float64."""
import math

import pytest
import torch

from lnl_mm.models.losses import (LOSS_TYPES, NFLandAGCELoss, NFLandMAELoss,
                                  NFLLoss, NGCELoss)
from lnl_mm.models.losses.normalized_grads import (nfl_closed_form,
                                                   ngce_closed_form)
from lnl_mm.models.losses.rce_loss import LOG_ZERO_CODE


def _passive_reference(z, y, passive):
    """``passive * (1 - p_y)``, the MAE / RCE term the closed forms take."""
    return passive * (1 - torch.softmax(z, dim=1)[torch.arange(len(y)), y])


def _nfl_reference(z, y, gamma, scale, detach='factor', passive=0.0):
    logp = torch.log_softmax(z, dim=1)
    factor = (1 - logp.exp()).detach()**gamma  # the official constant
    terms = -factor * logp
    denom = terms.sum(dim=1)
    if detach == 'denominator':
        denom = denom.detach()
    return (scale * terms[torch.arange(len(y)), y] / denom +
            _passive_reference(z, y, passive))


def _ngce_reference(z, y, q, min_prob, scale=1.0, passive=0.0):
    p = torch.softmax(z, dim=1).clamp(min=min_prob)
    pq = p**q
    ngce = (1 - pq[torch.arange(len(y)), y]) / (z.size(1) - pq.sum(dim=1))
    return scale * ngce + _passive_reference(z, y, passive)


def _value_and_grad(fn, z, y, weights):
    z = z.clone().requires_grad_(True)
    loss = fn(z, y)
    (loss * weights).sum().backward()
    return loss.detach(), z.grad


CASES = [(torch.float64, 3.0), (torch.float64, 12.0)]


@pytest.mark.parametrize('passive', [0.0, 3.5])
@pytest.mark.parametrize('detach', ['factor', 'denominator'])
@pytest.mark.parametrize('gamma', [0.5, 1.0, 2.0])
@pytest.mark.parametrize('dtype,spread', CASES)
def test_nfl_closed_form_matches_autograd_of_the_formula(
        gamma, dtype, spread, detach, passive):
    g = torch.Generator().manual_seed(0)
    z = torch.randn(64, 10, generator=g, dtype=dtype) * spread
    y = torch.randint(0, 10, (64, ), generator=g)
    w = torch.rand(64, generator=g, dtype=dtype)  # any upstream gradient
    got = _value_and_grad(
        lambda a, b: nfl_closed_form(a, b, gamma, 2.0, detach, passive)[0], z,
        y, w)
    want = _value_and_grad(
        lambda a, b: _nfl_reference(a, b, gamma, 2.0, detach, passive), z, y,
        w)
    torch.testing.assert_close(got[0], want[0], rtol=1e-10, atol=1e-12)
    torch.testing.assert_close(got[1], want[1], rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize('gamma', [0.5, 2.0])
def test_nfl_closed_form_in_float32_is_the_float64_gradient(gamma):
    """In float32 as accurate as float32 autograd of the formula, entry by
    entry relative to its row's gradient (confident rows included, where
    both lose digits to cancellation), also at C = 1000."""
    g = torch.Generator().manual_seed(2)
    for classes in (10, 1000):
        z = torch.randn(64, classes, generator=g, dtype=torch.float64) * 8
        y = torch.randint(0, classes, (64, ), generator=g)
        w = torch.rand(64, generator=g, dtype=torch.float64)
        want = _value_and_grad(lambda a, b: _nfl_reference(a, b, gamma, 1.0),
                               z, y, w)
        row = want[1].abs().amax(dim=1, keepdim=True)

        def error(fn):
            got = _value_and_grad(fn, z.float(), y, w.float())
            # NFL is in [0, 1]; float32's log p_y of a confident row is
            # coarse
            torch.testing.assert_close(
                got[0].double(), want[0], rtol=0, atol=1e-6)
            return ((got[1].double() - want[1]).abs() /
                    row).median(), ((got[1].double() - want[1]).abs() /
                                    row).max()

        closed = error(lambda a, b: nfl_closed_form(a, b, gamma, 1.0)[0])
        auto = error(lambda a, b: _nfl_reference(a, b, gamma, 1.0))
        assert closed[0] <= 4 * auto[0] + 1e-9, (classes, closed, auto)
        assert closed[1] <= 4 * auto[1] + 1e-9, (classes, closed, auto)


def test_nfl_denominator_guard_only_where_the_minimum_can_underflow():
    """The guard is skipped where the uniform row's denominator, NFL's
    minimum, is far above DENOM_EPS; at gamma = 25, C = 2 it is 4e-8, the
    guard runs, and the values and gradients are still the formula's."""
    from lnl_mm.models.losses.normalized_grads import \
        _nfl_denominator_can_underflow as can_underflow
    for classes, gamma in ((2, 0.5), (2, 16.0), (10, 5.0), (1000, 2.0)):
        uniform = -(1 - 1 / classes)**gamma * math.log(1 / classes) * classes
        assert uniform > 1e-6 and not can_underflow(classes, gamma)
    assert not can_underflow(2, 20.0) and can_underflow(2, 21.0)
    assert not can_underflow(10, 150.0) and can_underflow(10, 170.0)
    g = torch.Generator().manual_seed(5)
    z = torch.randn(64, 2, generator=g, dtype=torch.float64) * 3
    y = torch.randint(0, 2, (64, ), generator=g)
    w = torch.rand(64, generator=g, dtype=torch.float64)
    got = _value_and_grad(lambda a, b: nfl_closed_form(a, b, 25.0, 1.0)[0], z,
                          y, w)
    want = _value_and_grad(lambda a, b: _nfl_reference(a, b, 25.0, 1.0), z, y,
                           w)
    torch.testing.assert_close(got[0], want[0], rtol=1e-10, atol=1e-12)
    torch.testing.assert_close(got[1], want[1], rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize('dtype', [torch.float32, torch.float64])
def test_nfl_is_exact_wherever_its_denominator_is_a_normal_number(dtype):
    """The uniform row at gamma 60 (denominator 1.2e-18): NFL is 1/C there,
    by the closed form and by autograd of the ratio alike (a guard at 1e-12
    gave 6e-7)."""
    z, y = torch.zeros(1, 2, dtype=dtype), torch.tensor([0])
    for loss in (NFLLoss(gamma=60.0), NFLLoss(gamma=60.0, detach='none')):
        assert loss(z, y).item() == pytest.approx(0.5, rel=1e-6)
    ref = _nfl_reference(z.double(), y, 60.0, 1.0)
    assert ref.item() == pytest.approx(0.5, rel=1e-12)


def test_nfl_guard_acts_like_autograd_of_the_clamp():
    """Where even the minimum underflows (float64, gamma 1040: a subnormal
    denominator), the guard's clamp and zero-gradient mask give what
    autograd of the clamped ratio gives (the soft-target path, fed the
    one-hot target); without the mask the gradient differs."""
    z = torch.tensor([[0.0, 0.01]], dtype=torch.float64)
    y = torch.tensor([0])
    loss = NFLLoss(gamma=1040.0, reduction='none')
    got = _value_and_grad(loss, z, y, torch.ones(1, dtype=torch.float64))
    want = _value_and_grad(loss, z,
                           torch.nn.functional.one_hot(y, 2).double(),
                           torch.ones(1, dtype=torch.float64))
    assert got[1].abs().max() > 0
    torch.testing.assert_close(got[0], want[0], rtol=1e-12, atol=0)
    torch.testing.assert_close(got[1], want[1], rtol=1e-9, atol=0)


def test_ngce_closed_form_at_zero_scale_is_zero():
    z = torch.randn(4, 3, dtype=torch.float64, requires_grad=True)
    loss = ngce_closed_form(z, torch.tensor([0, 1, 2, 0]), 0.7, 1e-7, 0.0)[0]
    loss.sum().backward()
    assert (loss == 0).all() and (z.grad == 0).all()


@pytest.mark.parametrize('name', ['nfl', 'ngce'])
def test_either_output_alone_has_its_gradient(name):
    """An output nobody used sends no gradient (not materialised): the loss
    alone, and log p_y alone (the log-softmax's gradient at y)."""
    g = torch.Generator().manual_seed(6)
    z = torch.randn(16, 5, generator=g, dtype=torch.float64) * 3
    y = torch.randint(0, 5, (16, ), generator=g)
    fn = {
        'nfl': lambda a: nfl_closed_form(a, y, 0.5, 1.0),
        'ngce': lambda a: ngce_closed_form(a, y, 0.7, 1e-7)
    }[name]
    a = z.clone().requires_grad_(True)
    fn(a)[1].sum().backward()
    b = z.clone().requires_grad_(True)
    _logp_y(b, y).sum().backward()
    torch.testing.assert_close(a.grad, b.grad, rtol=1e-12, atol=1e-14)
    ref = {
        'nfl': lambda t: _nfl_reference(t, y, 0.5, 1.0),
        'ngce': lambda t: _ngce_reference(t, y, 0.7, 1e-7)
    }[name]
    got = _value_and_grad(lambda t, _: fn(t)[0], z, y, torch.ones(16))
    want = _value_and_grad(lambda t, _: ref(t), z, y, torch.ones(16))
    torch.testing.assert_close(got[1], want[1], rtol=1e-9, atol=1e-12)


def test_ngce_floor_in_half_precision():
    """The floor m^q is rounded to the logits' dtype once, so the clamp and
    the threshold agree on which entries sit on it (float16: a gradient 11 %
    off float32's when they disagreed, 1.3 % now, half precision's own)."""
    g = torch.Generator().manual_seed(0)
    z = (torch.randn(300, 10, generator=g) * 4).half()
    y = torch.randint(0, 10, (300, ), generator=g)
    grads = []
    for logits in (z.clone(), z.float()):
        logits.requires_grad_(True)
        ngce_closed_form(logits, y, 0.7, 1e-2)[0].float().sum().backward()
        grads.append(logits.grad.float())
    err = (grads[0] - grads[1]).abs().max() / grads[1].abs().max()
    assert err < 0.05, err


@pytest.mark.parametrize('scale,passive', [(1.0, 0.0), (10.0, 0.0),
                                           (0.5, 9.2)])
@pytest.mark.parametrize('q', [0.1, 0.7, 1.0])
@pytest.mark.parametrize('min_prob', [0.0, 1e-7, 1e-2])
@pytest.mark.parametrize('dtype,spread', CASES)
def test_ngce_closed_form_matches_autograd_of_the_formula(
        q, min_prob, dtype, spread, scale, passive):
    g = torch.Generator().manual_seed(1)
    z = torch.randn(64, 10, generator=g, dtype=dtype) * spread
    y = torch.randint(0, 10, (64, ), generator=g)
    w = torch.rand(64, generator=g, dtype=dtype)
    got = _value_and_grad(
        lambda a, b: ngce_closed_form(a, b, q, min_prob, scale, passive)[0], z,
        y, w)
    want = _value_and_grad(
        lambda a, b: _ngce_reference(a, b, q, min_prob, scale, passive), z, y,
        w)
    torch.testing.assert_close(got[0], want[0], rtol=1e-10, atol=1e-12)
    torch.testing.assert_close(got[1], want[1], rtol=1e-9, atol=1e-12)


def test_nfl_closed_form_names_a_bad_detach():
    with pytest.raises(
            ValueError,
            match="detach must be 'factor' or "
            "'denominator', got 'none'"):
        nfl_closed_form(
            torch.zeros(2, 3), torch.tensor([0, 1]), 0.5, 1.0, 'none')


def test_the_modules_take_the_closed_form_and_stay_finite_at_extremes():
    z = torch.tensor([[1e4, -1e4, 0.0], [0.0, 0.0, 0.0], [-80.0, 80.0, 3.0]],
                     requires_grad=True)
    y = torch.tensor([0, 1, 0])
    for loss in (NFLLoss(), NFLLoss(detach='denominator'), NGCELoss()):
        z.grad = None
        out = loss(z, y)
        out.backward()
        assert torch.isfinite(out) and torch.isfinite(z.grad).all()
    # the uniform row: NFL = 1/C exactly, NGCE = 1/C too
    nfl = NFLLoss(reduction='none')(torch.zeros(1, 4), torch.tensor([2]))
    assert nfl.item() == pytest.approx(0.25, abs=1e-7)
    ngce = NGCELoss(
        reduction='none', q=0.5)(torch.zeros(1, 4), torch.tensor([2]))
    assert ngce.item() == pytest.approx(0.25, abs=1e-7)


def test_the_closed_form_is_used_for_index_targets_only():
    z = torch.randn(8, 5, dtype=torch.float64, requires_grad=True)
    y = torch.randint(0, 5, (8, ))
    assert 'NFLFunctionBackward' in _graph_names(NFLLoss()(z, y))
    assert 'NGCEFunctionBackward' in _graph_names(NGCELoss()(z, y))
    assert 'NFLFunctionBackward' in _graph_names(
        NFLLoss(detach='denominator')(z, y))
    ratio = _graph_names(NFLLoss(detach='none')(z, y))  # autograd of it
    assert 'DivBackward0' in ratio and 'NFLFunctionBackward' not in ratio
    soft = torch.softmax(torch.randn(8, 5, dtype=torch.float64), dim=1)
    assert 'NFLFunctionBackward' not in _graph_names(NFLLoss()(z, soft))
    assert 'NGCEFunctionBackward' not in _graph_names(NGCELoss()(z, soft))
    assert math.isfinite(NGCELoss()(z, soft).item())


def _logp_y(z, y):
    return torch.log_softmax(z, dim=1)[torch.arange(len(y)), y]


@pytest.mark.parametrize('name', ['nfl', 'ngce'])
def test_the_shared_log_p_y_output_carries_its_own_gradient(name):
    """Any function of the second output joins the closed-form backward."""
    g = torch.Generator().manual_seed(2)
    z = torch.randn(32, 7, generator=g, dtype=torch.float64) * 4
    y = torch.randint(0, 7, (32, ), generator=g)
    w = torch.rand(32, generator=g, dtype=torch.float64)
    if name == 'nfl':
        fused = lambda a, b: nfl_closed_form(a, b, 0.5, 1.0)  # noqa: E731
        ref = lambda a, b: _nfl_reference(a, b, 0.5, 1.0)  # noqa: E731
    else:
        fused = lambda a, b: ngce_closed_form(a, b, 0.7, 1e-7)  # noqa: E731
        ref = lambda a, b: _ngce_reference(a, b, 0.7, 1e-7)  # noqa: E731

    def with_term(a, b):
        loss, logp_y = fused(a, b)
        assert torch.allclose(logp_y, _logp_y(a, b), rtol=0, atol=1e-12)
        return loss + torch.sin(logp_y) * 3  # a term in p_y alone

    got = _value_and_grad(with_term, z, y, w)
    want = _value_and_grad(
        lambda a, b: ref(a, b) + torch.sin(_logp_y(a, b)) * 3, z, y, w)
    torch.testing.assert_close(got[0], want[0], rtol=1e-10, atol=1e-12)
    torch.testing.assert_close(got[1], want[1], rtol=1e-9, atol=1e-12)


_A = -LOG_ZERO_CODE
#: passive term -> its value as a function of p_y (the pairs' defaults).
PASSIVES = {
    'MAE': lambda p: 1 - p,
    'RCE': lambda p: _A * (1 - p),
    'AGCE': lambda p: ((3 + 1)**2 - (3 + p)**2) / 2,  # a = 3, q = 2
}


@pytest.mark.parametrize('alpha,beta', [(1.0, 1.0), (0.5, 3.0)])
@pytest.mark.parametrize(
    'pair', ['NFL+MAE', 'NFL+RCE', 'NGCE+MAE', 'NGCE+RCE', 'NFL+AGCE'])
def test_pairs_share_log_p_y_with_the_closed_form(pair, alpha, beta):
    """The pair's value and gradient are those of alpha * active + beta *
    passive re-derived here, and its graph has no log-softmax of its own:
    MAE and RCE ride inside the closed form's node (the whole per-sample
    graph is that one node), AGCE reads the closed form's log p_y."""
    from mmpretrain.registry import MODELS
    extra = {'NFL+AGCE': 'NFLandAGCELoss'}
    active, passive = pair.split('+')
    loss = MODELS.build(
        dict(
            type=extra.get(pair) or LOSS_TYPES[pair],
            alpha=alpha,
            beta=beta,
            reduction='none'))
    g = torch.Generator().manual_seed(3)
    z = torch.randn(48, 10, generator=g, dtype=torch.float64) * 5
    y = torch.randint(0, 10, (48, ), generator=g)
    w = torch.rand(48, generator=g, dtype=torch.float64)
    act = loss.active
    if active == 'NFL':
        ref_a = lambda a, b: _nfl_reference(  # noqa: E731
            a, b, act.gamma, act.scale)
    else:
        ref_a = lambda a, b: act.scale * _ngce_reference(  # noqa: E731
            a, b, act.q, act.min_prob)

    def reference(a, b):
        p_y = _logp_y(a, b).exp()
        return loss.alpha * ref_a(a, b) + loss.beta * PASSIVES[passive](p_y)

    got = _value_and_grad(loss, z, y, w)
    want = _value_and_grad(reference, z, y, w)
    torch.testing.assert_close(got[0], want[0], rtol=1e-10, atol=1e-12)
    torch.testing.assert_close(got[1], want[1], rtol=1e-9, atol=1e-12)

    names = _graph_names(loss(z.clone().requires_grad_(True), y))
    assert f'{active}FunctionBackward' in names, names
    assert not any('Softmax' in n for n in names), names
    if passive != 'AGCE':
        assert names == {f'{active}FunctionBackward', 'AccumulateGrad'}, names


@pytest.mark.parametrize('detach', ['factor', 'denominator'])
@pytest.mark.parametrize('pair',
                         ['NFL+MAE', 'NFL+RCE', 'NGCE+MAE', 'NGCE+RCE'])
def test_the_fused_pair_equals_its_two_terms_added(pair, detach, monkeypatch):
    """With the fusion switched off (no passive weight), the same pair adds
    its two terms through the shared log p_y: same values and gradients, a
    longer graph (so the graph check above can fail)."""
    from mmpretrain.registry import MODELS

    from lnl_mm.models.losses import MAELoss, RCELoss
    opts = dict(detach=detach) if pair.startswith('NFL') else {}
    loss = MODELS.build(
        dict(type=LOSS_TYPES[pair], alpha=2.0, beta=0.3, **opts))
    g = torch.Generator().manual_seed(4)
    z = torch.randn(40, 10, generator=g, dtype=torch.float64) * 6
    y = torch.randint(0, 10, (40, ), generator=g)
    w = torch.rand(40, generator=g, dtype=torch.float64)
    fused = _value_and_grad(lambda a, b: loss(a, b, reduction_override='none'),
                            z, y, w)
    active = pair.split('+')[0]
    assert _graph_names(
        loss(z.clone().requires_grad_(True), y,
             reduction_override='none')) == {
                 f'{active}FunctionBackward', 'AccumulateGrad'
             }
    for cls in (MAELoss, RCELoss):
        monkeypatch.setattr(cls, 'passive_weight', lambda self: None)
    added = _value_and_grad(lambda a, b: loss(a, b, reduction_override='none'),
                            z, y, w)
    torch.testing.assert_close(fused[0], added[0], rtol=1e-12, atol=1e-14)
    torch.testing.assert_close(fused[1], added[1], rtol=1e-10, atol=1e-14)
    names = _graph_names(loss(z.clone().requires_grad_(True), y))
    assert 'Expm1Backward0' in names and 'AddBackward0' in names, names


def test_a_subclass_with_its_own_formula_is_not_fused():
    """A subclass of MAE / NFL that redefines the loss keeps its formula in
    a pair (it does not inherit the parent's closed form)."""
    from lnl_mm.models.losses import MAELoss

    class DoubledMAE(MAELoss):

        def elementwise(self, view):
            return 2 * super().elementwise(view)

    class HalvedNFL(NFLLoss):

        def elementwise(self, view):
            return 0.5 * super().elementwise(view)

    g = torch.Generator().manual_seed(7)
    z = torch.randn(12, 5, generator=g, dtype=torch.float64)
    y = torch.randint(0, 5, (12, ), generator=g)
    p_y = torch.softmax(z, dim=1)[torch.arange(12), y]
    nfl = _nfl_reference(z, y, 0.5, 1.0)
    pair = NFLandMAELoss(alpha=1.0, beta=3.0, reduction='none')
    pair.passive = DoubledMAE(scale=1.0)
    torch.testing.assert_close(pair(z, y), nfl + 6 * (1 - p_y))
    pair = NFLandMAELoss(alpha=1.0, beta=3.0, reduction='none')
    pair.active = HalvedNFL()
    torch.testing.assert_close(pair(z, y), 0.5 * nfl + 3 * (1 - p_y))


def _graph_names(out):
    """The type names of every node of ``out``'s autograd graph."""
    names, seen, stack = set(), set(), [out.grad_fn]
    while stack:
        fn = stack.pop()
        if fn is None or id(fn) in seen:
            continue
        seen.add(id(fn))
        names.add(type(fn).__name__)
        stack.extend(f for f, _ in fn.next_functions)
    return names


def test_without_sharing_the_pair_would_take_a_second_log_softmax(monkeypatch):
    """The check above can fail: with the sharing switched off, the passive
    term's own log-softmax is in the graph."""
    from lnl_mm.models.losses.utils import LogitView
    monkeypatch.setattr(LogitView, 'share_logp_target', lambda self, t: None)
    z = torch.randn(8, 5, dtype=torch.float64, requires_grad=True)
    names = _graph_names(NFLandAGCELoss()(z, torch.randint(0, 5, (8, ))))
    assert 'LogSoftmaxBackward0' in names and 'NFLFunctionBackward' in names


def test_the_closed_forms_refuse_a_second_derivative():
    z = torch.randn(4, 3, dtype=torch.float64, requires_grad=True)
    y = torch.tensor([0, 1, 2, 0])
    for loss, name in ((NFLLoss(), 'NFLLoss'), (NGCELoss(), 'NGCELoss')):
        with pytest.raises(
                RuntimeError,
                match=f'{name}: the closed-form backward is '
                'first-order only'):
            torch.autograd.grad(loss(z, y), z, create_graph=True)
        torch.autograd.grad(loss(z, y), z)  # first order: fine
    # the autograd form of NFL has its second derivative
    (g, ) = torch.autograd.grad(
        NFLLoss(detach='none')(z, y), z, create_graph=True)
    assert g.requires_grad


@pytest.mark.parametrize('detach', ['factor', 'denominator'])
def test_nfl_retained_graph_keeps_each_backwards_gradient(detach):
    """Per-sample gradients through a retained graph: each backward gets
    its own gradient (a backward that wrote into a buffer kept from the
    forward would overwrite the first one's)."""
    g = torch.Generator().manual_seed(3)
    z = torch.randn(6, 4, generator=g, dtype=torch.float64) * 3
    z.requires_grad_(True)
    y = torch.randint(0, 4, (6, ), generator=g)
    loss = nfl_closed_form(z, y, 0.5, 1.0, detach)[0]
    (g0, ) = torch.autograd.grad(loss[0], z, retain_graph=True)
    kept = g0.clone()
    (g1, ) = torch.autograd.grad(loss[1], z)
    assert torch.equal(g0, kept)
    zr = z.detach().clone().requires_grad_(True)
    want = _nfl_reference(zr, y, 0.5, 1.0, detach)
    for i, got in ((0, g0), (1, g1)):
        (ref, ) = torch.autograd.grad(want[i], zr, retain_graph=True)
        torch.testing.assert_close(got, ref, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize('name', ['NFL', 'NGCE'])
def test_batched_backward_gives_every_samples_gradient(name):
    """``is_grads_batched`` (vmap over the backward: per-sample gradients,
    Jacobians) runs the closed forms' backward on batched tensors; every
    operation there needs a batching rule (``out=`` variants have none)."""
    g = torch.Generator().manual_seed(4)
    z = torch.randn(5, 4, generator=g, dtype=torch.float64) * 3
    z.requires_grad_(True)
    y = torch.randint(0, 4, (5, ), generator=g)
    fn = ((lambda a: nfl_closed_form(a, y, 0.5, 1.0)[0]) if name == 'NFL' else
          (lambda a: ngce_closed_form(a, y, 0.7, 1e-7)[0]))
    (jac, ) = torch.autograd.grad(
        fn(z), z, torch.eye(5, dtype=z.dtype), is_grads_batched=True)
    zr = z.detach().clone().requires_grad_(True)
    ref = (
        _nfl_reference(zr, y, 0.5, 1.0) if name == 'NFL' else _ngce_reference(
            zr, y, 0.7, 1e-7))
    for i in range(5):
        (want, ) = torch.autograd.grad(ref[i], zr, retain_graph=True)
        torch.testing.assert_close(jac[i], want, rtol=1e-9, atol=1e-12)
