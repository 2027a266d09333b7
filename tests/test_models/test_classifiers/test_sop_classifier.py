# Copyright (c) lnl_mm contributors. All rights reserved.
"""SOP: the corrected prediction and the two terms against the official
formula in float64, the gradients of u and v by hand, the SOP+ terms, one
training step of both optimizers, refusals."""
import os.path as osp
import sys

import numpy as np
import pytest
import torch
from mmengine.optim import OptimWrapperDict
from mmpretrain.registry import MODELS, OPTIM_WRAPPER_CONSTRUCTORS

from lnl_mm.models.losses import sop_balance, sop_consistency, sop_loss

sys.path.insert(0, osp.dirname(__file__))
from meta_toys import make_batch, make_classifier  # noqa: E402


def official_sop(z, y, u, v, eps=1e-4):
    """shengliu66/SOP overparametrization_loss.forward in NumPy float64:
    (CE, MSE, prediction), per sample."""
    onehot = np.eye(z.shape[1])[y]
    U = np.clip(u**2 * onehot, 0, 1)
    V = np.clip(v**2 * (1 - onehot), 0, 1)
    e = np.exp(z - z.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    pred = np.maximum(p + U - V, eps)
    pred = pred / np.maximum(np.abs(pred).sum(axis=1, keepdims=True), eps)
    pred = np.clip(pred, eps, 1)
    ce = -(onehot * np.log(pred)).sum(axis=1)
    hard = np.eye(z.shape[1])[z.argmax(axis=1)]
    mse = ((hard + U - V - onehot)**2).sum(axis=1)
    return ce, mse, pred


def _case(seed=0, scale=0.5, z_scale=2.0, clamps=True):
    g = np.random.default_rng(seed)
    z = g.normal(size=(6, 4)) * z_scale
    y = g.integers(0, 4, 6)
    u = g.normal(size=(6, 1)) * scale
    v = g.normal(size=(6, 4)) * scale
    if clamps:
        v[0, :] = 1.5  # u^2, v^2 > 1: the clamps at 1
        u[1] = 1.2
    return z, y, u, v


def _t(a, grad=False):
    return torch.tensor(a, dtype=torch.float64, requires_grad=grad)


def test_terms_equal_the_official_formula_in_float64():
    z, y, u, v = _case()
    ce, mse, pred = sop_loss(_t(z), torch.tensor(y), _t(u), _t(v))
    want = official_sop(z, y, u, v)
    for got, ref in zip((ce, mse, pred), want):
        assert np.allclose(got.detach().numpy(), ref, rtol=1e-12, atol=0)


def test_gradients_of_u_and_v_by_hand():
    """Away from the clamps: d CE / d u = -2u/s_y + 2u/sum(s) (s = p + U -
    sg[V], unnormalised), V gets no CE gradient; d MSE / d u = 4u (h_y +
    u^2 - 1), d MSE / d v_k = -4 v_k (h_k - v_k^2) for k != y."""
    z, y, u, v = _case(seed=1, scale=0.2, z_scale=0.5, clamps=False)
    U, V = _t(u, True), _t(v, True)
    ce, mse, _ = sop_loss(_t(z), torch.tensor(y), U, V)
    gu_ce, gv_ce = torch.autograd.grad(
        ce.sum(), (U, V), retain_graph=True, materialize_grads=True)
    gu_mse, gv_mse = torch.autograd.grad(mse.sum(), (U, V))
    onehot = np.eye(4)[y]
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    s = p + u**2 * onehot - v**2 * (1 - onehot)
    assert (s > 1e-4).all()  # no clamp active in this case
    s_y = s[np.arange(6), y][:, None]
    want_u_ce = -2 * u / s_y + 2 * u / s.sum(axis=1, keepdims=True)
    assert np.allclose(gu_ce.numpy(), want_u_ce, rtol=1e-10)
    assert torch.equal(gv_ce, torch.zeros_like(gv_ce))
    hard = np.eye(4)[z.argmax(axis=1)]
    h_y = hard[np.arange(6), y][:, None]
    assert np.allclose(gu_mse.numpy(), 4 * u * (h_y + u**2 - 1), rtol=1e-10)
    want_v = -4 * v * (hard - v**2) * (1 - onehot)
    assert np.allclose(gv_mse.numpy(), want_v, rtol=1e-10)


def test_sop_plus_terms_by_hand():
    z, y, u, v = _case(seed=2)
    _, _, pred = sop_loss(_t(z), torch.tensor(y), _t(u), _t(v))
    mean = np.clip(pred.numpy().mean(axis=0), 1e-4, 1)
    assert float(sop_balance(pred)) == pytest.approx(-np.log(mean).mean())
    z2 = z[::-1].copy()
    p1 = np.exp(z) / np.exp(z).sum(1, keepdims=True)
    p2 = np.exp(z2) / np.exp(z2).sum(1, keepdims=True)
    kl = (p1 * (np.log(p1) - np.log(p2))).sum(axis=1)
    assert np.allclose(sop_consistency(_t(z), _t(z2)).numpy(), kl)


def _model(labels, double=True, **kwargs):
    model = make_classifier('SOPClassifier', num_samples=len(labels), **kwargs)
    model.init_sample_state(labels)
    return model.double() if double else model


def _optim(model, lr=0.1, lr_u=1.0, lr_v=10.0):
    return OPTIM_WRAPPER_CONSTRUCTORS.build(
        dict(
            type='SOPOptimWrapperConstructor',
            optim_wrapper_cfg=dict(
                model=dict(optimizer=dict(type='SGD', lr=lr)),
                sop=dict(
                    optimizer=dict(type='SGD', momentum=0, weight_decay=0),
                    lr_u=lr_u,
                    lr_v=lr_v))))(
                        model)


def test_one_step_moves_the_network_and_the_batch_rows_only():
    batch = make_batch(4, seed=0, start=2)
    labels = np.zeros(8, dtype=np.int64)
    labels[2:6] = [int(s.gt_label) for s in batch['data_samples']]
    model = _model(labels, double=False, init_std=0.3)
    optim = _optim(model)
    assert isinstance(optim, OptimWrapperDict)
    names = {id(p) for p in model.sop.parameters()}
    assert all(
        id(p) not in names for g in optim['model'].optimizer.param_groups
        for p in g['params'])
    before = {k: v.clone() for k, v in model.state_dict().items()}
    # the gradients of the step, computed beside it
    data = model.data_preprocessor(batch, True)
    losses = model.loss(data['inputs'], data['data_samples'])
    total = sum(losses.values())
    gu, gv, gw = torch.autograd.grad(
        total, (model.sop.u, model.sop.v, model.head.fc.weight))
    model.train_step(batch, optim)
    after = model.state_dict()
    assert torch.allclose(after['sop.u'], before['sop.u'] - 1.0 * gu)
    assert torch.allclose(after['sop.v'], before['sop.v'] - 10.0 * gv)
    assert torch.allclose(after['head.fc.weight'],
                          before['head.fc.weight'] - 0.1 * gw)
    rows = torch.zeros(8, dtype=torch.bool)
    rows[2:6] = True
    assert torch.equal(after['sop.v'][~rows], before['sop.v'][~rows])
    assert not torch.equal(after['sop.v'][rows], before['sop.v'][rows])


def test_sop_plus_needs_the_second_view():
    batch = make_batch(4, seed=0)
    labels = np.array([int(s.gt_label) for s in batch['data_samples']])
    model = _model(labels, ratio_consistency=0.9, ratio_balance=0.1)
    data = model.data_preprocessor(batch, True)
    with pytest.raises(KeyError, match='needs two augmented views'):
        model.loss(data['inputs'].double(), data['data_samples'])
    for s in batch['data_samples']:
        s.set_field((torch.rand(1, 4, 4) * 255).to(torch.uint8), 'view2')
    data = model.data_preprocessor(batch, True)
    losses = model.loss(data['inputs'].double(), data['data_samples'])
    assert set(losses) == {
        'loss_ce', 'loss_mse', 'loss_balance', 'loss_consistency'
    }
    assert all(torch.isfinite(v) for v in losses.values())


@pytest.mark.parametrize('kwargs, match', [
    (dict(num_samples=0), 'num_samples must be an int >= 1'),
    (dict(num_samples=4, ratio_balance=-1), 'ratio_balance must be a number'),
    (dict(num_samples=4, eps=0.7), 'eps must be in'),
    (dict(num_samples=4, init_std=0), 'init_std must be a finite number > 0'),
    (dict(num_samples=4,
          init_mean=float('nan')), 'init_mean must be a finite number'),
])
def test_bad_arguments_name_the_option(kwargs, match):
    with pytest.raises(ValueError, match=match):
        make_classifier('SOPClassifier', **kwargs)


def test_the_head_loss_must_be_plain_ce():
    with pytest.raises(ValueError, match='computes its losses itself'):
        MODELS.build(
            dict(
                type='SOPClassifier',
                num_samples=4,
                backbone=dict(type='SmallCNN', in_channels=1),
                head=dict(
                    type='LinearClsHead',
                    num_classes=3,
                    in_channels=8,
                    loss=dict(type='LabelSmoothLoss', label_smooth_val=0.1))))


def test_refusals():
    model = make_classifier('SOPClassifier', num_samples=5)
    with pytest.raises(
            ValueError,
            match='num_samples=5 but the training '
            'set has 7 samples: set model.num_samples=7'):
        model.init_sample_state(np.zeros(7, dtype=np.int64))
    batch = make_batch(4, seed=0)
    with pytest.raises(RuntimeError, match='SampleStoreHook'):
        model.train_step(batch, _optim(model))
    model.init_sample_state(np.zeros(5, dtype=np.int64))
    with pytest.raises(TypeError, match='SOPOptimWrapperConstructor'):
        model.train_step(batch, _optim(model)['model'])
    build = OPTIM_WRAPPER_CONSTRUCTORS.build
    for cfg, err, match in [
        (dict(model=dict(optimizer=dict(type='SGD', lr=0.1))), KeyError,
         "expects the keys"),
        (dict(model={}, sop=dict(optimizer=dict(type='SGD'),
                                 lr_u=1)), KeyError, "missing \\['lr_v'\\]"),
        (dict(
            model={},
            sop=dict(optimizer=dict(type='SGD', lr=1), lr_u=1,
                     lr_v=1)), ValueError, 'would be ignored'),
        (dict(model={}, sop=dict(optimizer=dict(type='SGD'), lr_u=-1,
                                 lr_v=1)), ValueError, 'sop.lr_u must be'),
        (dict(
            model=dict(type='AmpOptimWrapper'),
            sop=dict(
                type='AmpOptimWrapper',
                optimizer=dict(type='SGD'),
                lr_u=1,
                lr_v=1)), ValueError, 'not supported'),
    ]:
        with pytest.raises(err, match=match):
            build(
                dict(type='SOPOptimWrapperConstructor', optim_wrapper_cfg=cfg))
    with pytest.raises(TypeError, match='has no per-sample parameters'):
        build(
            dict(
                type='SOPOptimWrapperConstructor',
                optim_wrapper_cfg=dict(
                    model=dict(optimizer=dict(type='SGD', lr=0.1)),
                    sop=dict(optimizer=dict(type='SGD'), lr_u=1, lr_v=1))))(
                        make_classifier('ELRClassifier'))


def test_the_batch_must_carry_the_recorded_labels():
    batch = make_batch(4, seed=0)
    labels = np.array([int(s.gt_label) for s in batch['data_samples']])
    model = _model((labels + 1) % 3)
    data = model.data_preprocessor(batch, True)
    with pytest.raises(ValueError, match='differ from the given labels'):
        model.loss(data['inputs'].double(), data['data_samples'])
