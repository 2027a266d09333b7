# Copyright (c) lnl_mm contributors. All rights reserved.
"""The closed-form BatchNorm tangent equals PyTorch's forward-mode rule and
a finite difference in float64, moves the running statistics as
``F.batch_norm`` does, and leaves every other call to PyTorch."""
import pytest
import torch
import torch.autograd.forward_ad as fwAD
import torch.nn.functional as F

from lnl_mm.models.meta.dual_batch_norm import (ClosedFormDualBatchNorm,
                                                batch_norm_jvp)


def _inputs(shape, seed=0):
    g = torch.Generator().manual_seed(seed)
    c = shape[1]

    def r(*s):
        return torch.randn(*s, generator=g, dtype=torch.float64)

    return dict(
        x=r(*shape) * 3 + 1,
        x_t=r(*shape),
        weight=r(c).abs() + 0.5,
        weight_t=r(c),
        bias=r(c),
        bias_t=r(c))


def _torch_rule(v, rm=None, rv=None, momentum=0.1):
    with fwAD.dual_level():
        y = F.batch_norm(
            fwAD.make_dual(v['x'], v['x_t']),
            rm,
            rv,
            fwAD.make_dual(v['weight'], v['weight_t']),
            fwAD.make_dual(v['bias'], v['bias_t']),
            training=True,
            momentum=momentum)
        primal, tangent = fwAD.unpack_dual(y)
        return primal.clone(), tangent.clone()


def _batch_norm_by_hand(x, weight, bias, eps=1e-5):
    dims = [0] + list(range(2, x.dim()))
    shape = (1, -1) + (1, ) * (x.dim() - 2)
    mean = x.mean(dims, keepdim=True)
    var = x.var(dims, unbiased=False, keepdim=True)
    return (x - mean) / (var + eps).sqrt() * weight.view(shape) + \
        bias.view(shape)


@pytest.mark.parametrize('shape', [(8, 3), (6, 4, 5), (5, 3, 4, 4),
                                   (2, 2, 3, 2, 2)])
def test_tangent_equals_pytorch_and_a_finite_difference(shape):
    v = _inputs(shape)
    y, y_t = batch_norm_jvp(**v)
    ref_y, ref_t = _torch_rule(v)
    torch.testing.assert_close(y, ref_y, rtol=1e-12, atol=1e-12)
    torch.testing.assert_close(y_t, ref_t, rtol=1e-10, atol=1e-10)
    h = 1e-6  # central difference of the formula written out by hand
    plus = _batch_norm_by_hand(v['x'] + h * v['x_t'],
                               v['weight'] + h * v['weight_t'],
                               v['bias'] + h * v['bias_t'])
    minus = _batch_norm_by_hand(v['x'] - h * v['x_t'],
                                v['weight'] - h * v['weight_t'],
                                v['bias'] - h * v['bias_t'])
    torch.testing.assert_close(
        y_t, (plus - minus) / (2 * h), rtol=1e-6, atol=1e-6)


def test_missing_tangents_and_affine_free_batch_norm():
    v = _inputs((6, 3, 2, 2), seed=1)
    # no tangent on the input (the first layer of a network): only the
    # weight and bias move
    y, y_t = batch_norm_jvp(v['x'], None, v['weight'], v['weight_t'],
                            v['bias'], v['bias_t'])
    no_x = dict(v, x_t=torch.zeros_like(v['x']))
    torch.testing.assert_close(y_t, _torch_rule(no_x)[1])
    # affine=False: weight and bias are None
    _, y_t = batch_norm_jvp(v['x'], v['x_t'], None, None, None, None)
    with fwAD.dual_level():
        ref = fwAD.unpack_dual(
            F.batch_norm(
                fwAD.make_dual(v['x'], v['x_t']), None, None,
                training=True))[1]
    torch.testing.assert_close(y_t, ref)


def test_the_mode_moves_running_statistics_as_f_batch_norm():
    v = _inputs((7, 3, 3, 3), seed=2)
    ours = [torch.zeros(3, dtype=torch.float64), torch.ones(3).double()]
    theirs = [t.clone() for t in ours]
    with fwAD.dual_level(), ClosedFormDualBatchNorm():
        out = F.batch_norm(
            fwAD.make_dual(v['x'], v['x_t']),
            *ours,
            fwAD.make_dual(v['weight'], v['weight_t']),
            v['bias'],
            training=True,
            momentum=0.3)
        y, y_t = (t.clone() for t in fwAD.unpack_dual(out))
    ref_y, ref_t = _torch_rule(
        dict(v, bias_t=torch.zeros(3, dtype=torch.float64)), *theirs, 0.3)
    torch.testing.assert_close(y, ref_y)
    torch.testing.assert_close(y_t, ref_t)
    for a, b in zip(ours, theirs):
        torch.testing.assert_close(a, b, rtol=1e-14, atol=1e-14)
        assert not torch.equal(a, torch.zeros(3, dtype=torch.float64))


def test_the_mode_leaves_eval_mode_and_primal_calls_to_pytorch(monkeypatch):
    calls = []
    real = batch_norm_jvp

    def spy(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr('lnl_mm.models.meta.dual_batch_norm.batch_norm_jvp',
                        spy)
    v = _inputs((4, 2, 3), seed=3)
    rm, rv = torch.zeros(2).double(), torch.ones(2).double()
    with fwAD.dual_level(), ClosedFormDualBatchNorm():
        x = fwAD.make_dual(v['x'], v['x_t'])
        F.batch_norm(x, rm, rv, training=False)  # eval: PyTorch's rule
        F.batch_norm(v['x'], rm, rv, training=True)  # no tangent at all
        assert calls == []
        F.batch_norm(x, rm, rv, training=True)
        assert calls == [1]
    with pytest.raises(ValueError, match='more than 1 value per channel'):
        with fwAD.dual_level(), ClosedFormDualBatchNorm():
            F.batch_norm(
                fwAD.make_dual(v['x'][:1, :, :1], v['x_t'][:1, :, :1]),
                None,
                None,
                training=True)


def test_float32_keeps_its_precision_far_from_zero_mean():
    """An input with |mean| = 1000 std: the centred form keeps float32's
    precision (PyTorch's own rule does; an uncentred covariance lost two to
    four digits here)."""
    v = _inputs((32, 4, 6, 6), seed=4)
    v['x'] = v['x'] / 3 + 1000.0  # std ~1, mean 1000
    ref_y, ref_t = batch_norm_jvp(**v)  # float64
    v32 = {k: t.float() for k, t in v.items()}
    _, t32 = batch_norm_jvp(**v32)
    torch_t32 = _torch_rule(v32)[1]
    scale = ref_t.abs().max()
    ours = ((t32.double() - ref_t).abs().max() / scale).item()
    theirs = ((torch_t32.double() - ref_t).abs().max() / scale).item()
    assert ours < 1e-4 and ours < 20 * max(theirs, 1e-7), (ours, theirs)
