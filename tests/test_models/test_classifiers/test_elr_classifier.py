# Copyright (c) lnl_mm contributors. All rights reserved.
"""ELR: the target update and the loss against the official formula
written out in float64, gradients, refusals, the store."""
import os.path as osp
import sys

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from lnl_mm.models.losses import elr_probs, elr_regularizer, elr_target_update

sys.path.insert(0, osp.dirname(__file__))
from meta_toys import make_batch, make_classifier, sgd  # noqa: E402


def official_elr(logits, labels, target, beta, lam, eps=1e-4):
    """ELR/model/loss.py elr_loss.forward, in NumPy float64: returns the
    loss and the batch's new target rows."""
    z = logits - logits.max(axis=1, keepdims=True)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    p = np.clip(p, eps, 1 - eps)
    new = beta * target + (1 - beta) * p / p.sum(axis=1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    ce = -logp[np.arange(len(labels)), labels].mean()
    reg = np.log(1 - (new * p).sum(axis=1)).mean()
    return ce + lam * reg, ce, reg, new


def _model(**kwargs):
    model = make_classifier('ELRClassifier', **kwargs)
    model.init_sample_state(np.zeros(10, dtype=np.int64))
    return model.double()  # the store too: float64 end to end


def _losses(model, batch):
    data = model.data_preprocessor(batch, True)
    return model.loss(data['inputs'].double(), data['data_samples'])


def test_two_steps_equal_the_official_loss_in_float64():
    model = _model(beta=0.7, lambda_elr=3.0)
    target = np.zeros((10, 3))
    for step, start in enumerate((0, 2)):  # samples 2, 3 are seen twice
        batch = make_batch(4, seed=step, start=start)
        data = model.data_preprocessor(batch, True)
        inputs = data['inputs'].double()
        with torch.no_grad():
            logits = model.head(model.extract_feat(inputs)).numpy()
        labels = np.array([int(s.gt_label) for s in data['data_samples']])
        idx = np.arange(start, start + 4)
        want, ce, reg, rows = official_elr(logits, labels, target[idx], 0.7,
                                           3.0)
        target[idx] = rows
        got = model.loss(inputs, data['data_samples'])
        got = {k: float(v.detach()) for k, v in got.items()}
        assert got['loss_ce'] == pytest.approx(ce, rel=1e-12)
        assert got['loss_elr'] == pytest.approx(3.0 * reg, rel=1e-12)
        assert got['loss_ce'] + got['loss_elr'] == pytest.approx(
            want, rel=1e-12)
        np.testing.assert_allclose(
            model.store.elr_targets.numpy(), target, rtol=1e-6, atol=1e-7)
    # the targets start at zero and are written before the regulariser
    assert model.store.writes('elr_targets') == 2


def test_regulariser_gradient_is_the_official_one():
    # d/dz of lambda * mean log(1 - <t, clamp(softmax z)>), t fixed
    g = torch.Generator().manual_seed(0)
    z = torch.randn(5, 4, generator=g, dtype=torch.float64)
    z[0, 1] = 12.0  # one probability clamped: its gradient is cut there
    t = torch.softmax(torch.randn(5, 4, generator=g, dtype=torch.float64), 1)
    z.requires_grad_(True)
    elr_regularizer(elr_probs(z), t).mean().backward()

    def official(zz):
        p = torch.softmax(zz, 1).clamp(1e-4, 1 - 1e-4)
        return torch.log(1 - (t * p).sum(1)).mean()

    want = torch.autograd.functional.jacobian(official, z.detach())
    torch.testing.assert_close(z.grad, want, rtol=1e-10, atol=1e-12)
    # a finite-difference check of the same function (independent of
    # autograd), away from the clamp's kink
    zz = z.detach().clone()
    for i, j in ((1, 2), (3, 0)):
        e = torch.zeros_like(zz)
        e[i, j] = 1e-6
        fd = (official(zz + e) - official(zz - e)) / 2e-6
        assert float(z.grad[i, j]) == pytest.approx(float(fd), rel=1e-6)


def test_update_is_the_momentum_of_the_renormalised_clamped_softmax():
    p = elr_probs(torch.tensor([[30.0, 0.0, 0.0]], dtype=torch.float64))
    np.testing.assert_allclose(p.numpy(), [[1 - 1e-4, 1e-4, 1e-4]])
    t = elr_target_update(torch.tensor([[0.0, 1.0, 0.0]]), p, 0.9)
    hat = np.array([1 - 1e-4, 1e-4, 1e-4]) / (1 + 1e-4)
    np.testing.assert_allclose(t.numpy(),
                               [0.9 * np.array([0, 1, 0]) + 0.1 * hat])
    assert not t.requires_grad


@pytest.mark.parametrize('dtype', [torch.float16, torch.bfloat16])
def test_extreme_and_half_precision_logits_stay_finite(dtype):
    z = torch.tensor([[1e4, -1e4, 0.0], [-60000.0, 60000.0, 0.0]])
    z = z.to(dtype).requires_grad_(True)
    p = elr_probs(z)
    assert p.dtype == torch.float32
    t = elr_target_update(torch.ones(2, 3) / 3, p, 0.7)
    t[1] = torch.tensor([0.0, 1.0, 0.0])  # the most probable class
    reg = elr_regularizer(p, t)
    assert torch.isfinite(reg).all() and reg.min() >= np.log(1e-4) - 1e-3
    reg.sum().backward()
    assert torch.isfinite(z.grad).all()


def test_store_rows_survive_a_state_dict_round_trip():
    model = _model()
    opt = sgd(model)
    for step in range(3):
        losses = _losses(model, make_batch(5, seed=step, start=step))
        opt.update_params(losses['loss_ce'] + losses['loss_elr'])
    state = model.state_dict()
    other = _model()
    other.load_state_dict(state)
    assert torch.equal(other.store.elr_targets, model.store.elr_targets)
    assert other.store.writes('elr_targets') == 3
    wrong = make_classifier('ELRClassifier')
    wrong.init_sample_state(np.ones(10, dtype=np.int64))
    wrong.double()
    with pytest.raises(ValueError, match='other given labels'):
        wrong.load_state_dict(state)


@pytest.mark.parametrize('kwargs, message', [
    (dict(beta=1.0), r'beta must be in \[0, 1\).*beta=1.0'),
    (dict(beta=-0.1), r'beta=-0.1'),
    (dict(lambda_elr=-1.0), r'lambda_elr must be >= 0.*lambda_elr=-1.0'),
    (dict(clamp=0.0), r'clamp must be in \(0, 0.5\).*clamp=0.0'),
    (dict(beta=True), r'beta must be a number.*beta=True'),
])
def test_bad_arguments_name_the_option(kwargs, message):
    with pytest.raises((ValueError, TypeError), match=message):
        make_classifier('ELRClassifier', **kwargs)


def test_batch_augments_and_an_unsized_store_are_refused():
    model = _model()
    model.data_preprocessor.batch_augments = object()  # any augment
    with pytest.raises(ValueError, match='batch_augments'):
        _losses(model, make_batch(4, seed=0))
    with pytest.raises(RuntimeError, match='SampleStoreHook'):
        _losses(
            make_classifier('ELRClassifier').double(), make_batch(4, seed=0))


def test_lambda_zero_is_the_head_loss():
    model = _model(lambda_elr=0.0)
    batch = make_batch(4, seed=3)
    losses = _losses(model, batch)
    data = model.data_preprocessor(batch, True)
    logits = model.head(model.extract_feat(data['inputs'].double()))
    labels = torch.tensor([int(s.gt_label) for s in data['data_samples']])
    assert float(losses['loss_elr'].detach()) == 0.0
    torch.testing.assert_close(losses['loss_ce'],
                               F.cross_entropy(logits, labels))
