# Copyright (c) lnl_mm contributors. All rights reserved.
"""ELR+: one step of each network against the official trainer and loss
re-derived in float64 on a copy (targets from the peer's weight average,
mixup, the loss, the ramped weight average), the ramps, refusals, finite
losses."""
import copy
import os.path as osp
import sys

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from mmpretrain.registry import MODELS
from torch import nn

from lnl_mm.engine import TwoNetworkOptimWrapperConstructor
from lnl_mm.models.losses import (elr_plus_target_update, elr_plus_terms,
                                  sigmoid_rampup)
from lnl_mm.models.losses.elr_plus_loss import reweighted_labels
from lnl_mm.models.utils import MomentumModel

sys.path.insert(0, osp.dirname(__file__))
from meta_toys import TupleMLP, make_batch  # noqa: E402

B, C, N = 8, 3, 12


def make(seed=0, num_classes=C, **kwargs):
    """Two BN-free networks, their averages copies of them."""
    torch.manual_seed(seed)
    model = MODELS.build(
        dict(
            type='ELRPlusClassifier',
            backbone=dict(type='SmallCNN', in_channels=1, channels=(4, 8)),
            neck=dict(type='GlobalAveragePooling'),
            head=dict(
                type='LinearClsHead', num_classes=num_classes, in_channels=8),
            data_preprocessor=dict(
                type='ClsDataPreprocessor', num_classes=num_classes),
            **kwargs))
    for name, net in zip(('net1', 'net2'), model.nets):
        net.backbone = TupleMLP()
        net.neck = nn.Identity()
        model.add_module(
            f'ema_{name}',
            MomentumModel(net, decay=model.ema_decay, update_buffers=False))
    model.init_weights()
    model.init_sample_state(torch.randint(0, num_classes, (N, )))
    model.start_epoch(0)
    model.train()
    return model


def wrappers(model, lr=0.5):
    return TwoNetworkOptimWrapperConstructor(
        dict(optimizer=dict(type='SGD', lr=lr)))(
            model)


def softmax(z):
    e = np.exp(z - z.max(1, keepdims=True))
    return e / e.sum(1, keepdims=True)


def official_step(model,
                  batch,
                  k,
                  beta,
                  lam_elr,
                  alpha,
                  ema_decay,
                  ema_steps,
                  coef_steps,
                  reweight,
                  lr=0.5,
                  eps=1e-4):
    """ELR_plus/trainer/trainer.py _train_epoch + model/loss.py on a deep
    copy, written out in float64: returns the loss, the new target rows,
    the network's new parameters and its average's."""
    ref = copy.deepcopy(model).double()
    net, ema, peer = ref.nets[k], ref.emas[k], ref.emas[1 - k]
    data = ref.data_preprocessor(copy.deepcopy(batch), True)
    x = data['inputs'].double()
    y = torch.cat([s.gt_label for s in data['data_samples']]).numpy()
    idx = np.array([s.sample_idx for s in data['data_samples']])
    hist = getattr(ref.store, f'elr_targets_net{k + 1}').numpy()[idx]
    # update_hist: beta * hist + (1 - beta) * softmax / sum, from the
    # peer's EMA on the original batch
    with torch.no_grad():
        out = peer.module(x, mode='tensor').numpy()
    p = softmax(out)
    hist = beta * hist + (1 - beta) * p / p.sum(1, keepdims=True)
    # _mixup_data with the model's per-step draws
    step = int(ref.num_steps) + 1
    g = np.random.default_rng([0, step, 0])
    lam = g.beta(alpha, alpha)
    lam = max(lam, 1 - lam)
    perm = np.random.default_rng([0, step, 1, 0]).permutation(len(y))
    onehot = np.eye(C)[y]
    xm = lam * x + (1 - lam) * x[perm]
    ym = lam * onehot + (1 - lam) * onehot[perm]
    q = lam * hist + (1 - lam) * hist[perm]
    # elr_plus_loss.forward, in torch float64 for the gradient
    z = net(xm, mode='tensor')
    yp = torch.clamp(F.softmax(z, 1), eps, 1 - eps)
    ym_t, q_t = torch.as_tensor(ym), torch.as_tensor(q)
    if reweight:
        ym_t = ym_t * q_t
        ym_t = ym_t / ym_t.sum(1, keepdim=True)
    ce = torch.mean(-torch.sum(ym_t * F.log_softmax(z, 1), -1))
    reg = torch.log(1 - (q_t * yp).sum(1)).mean()
    s = int(ema.steps) + 1
    ramp = 1.0 if coef_steps == 0 else float(
        np.exp(-5 * (1 - min(s, coef_steps) / coef_steps)**2))
    loss = ce + ramp * lam_elr * reg
    grads = torch.autograd.grad(loss, list(net.parameters()))
    new = [p.detach() - lr * g for p, g in zip(net.parameters(), grads)]
    # update_ema_variables: alpha = sigmoid_rampup(step + 1) * ema_alpha
    d = ema_decay * float(
        np.exp(-5 * (1 - min(s + 1, ema_steps) / ema_steps)**2))
    ema_new = [
        d * e.detach() + (1 - d) * w
        for e, w in zip(ema.module.parameters(), new)
    ]
    return (float(loss.detach()), hist, idx, new, ema_new,
            float(ramp * lam_elr))


@pytest.mark.parametrize('reweight', [False, True])
def test_each_networks_step_is_the_official_one_in_float64(reweight):
    kw = dict(
        beta=0.7,
        lambda_elr=3.0,
        mixup_alpha=1.0,
        ema_decay=0.997,
        ema_rampup_steps=20,
        coef_rampup_steps=10,
        label_reweight=reweight)
    model = make(**kw)
    ows = wrappers(model)
    for step, (k, start) in enumerate(((0, 0), (1, 4), (0, 4))):
        batch = make_batch(B, seed=step, start=start)  # 4..7 seen twice
        want = official_step(model, batch, k, 0.7, 3.0, 1.0, 0.997, 20, 10,
                             reweight)
        loss, hist, idx, new, ema_new, weight = want
        out = model.train_step(dict(stage='train', net=k, train=batch), ows)
        assert float(out['loss']) == pytest.approx(loss, rel=1e-5)
        assert float(out['elr_weight']) == pytest.approx(weight, rel=1e-6)
        field = getattr(model.store, f'elr_targets_net{k + 1}')
        np.testing.assert_allclose(field[idx].numpy(), hist, rtol=1e-5)
        for p, w in zip(model.nets[k].parameters(), new):
            torch.testing.assert_close(
                p.detach().double(), w, rtol=1e-5, atol=1e-6)
        for p, w in zip(model.emas[k].module.parameters(), ema_new):
            torch.testing.assert_close(p.double(), w, rtol=1e-5, atol=1e-6)
    # the peer's targets are untouched by a network's step
    assert model.store.writes('elr_targets_net1') == 2
    assert model.store.writes('elr_targets_net2') == 1
    assert int(model.ema_net1.steps) == 2 and int(model.ema_net2.steps) == 1


def test_averages_start_as_copies_and_the_peer_is_not_trained():
    model = make(mixup_alpha=0.0)
    for net, ema in zip(model.nets, model.emas):
        for a, b in zip(net.state_dict().values(),
                        ema.module.state_dict().values()):
            assert torch.equal(a, b)
    peer = copy.deepcopy(model.net2.state_dict())
    out = model.train_step(
        dict(stage='train', net=0, train=make_batch(B, seed=5)),
        wrappers(model))
    assert float(out['mix_lambda']) == 1.0  # alpha 0: no mixup
    for key, value in model.net2.state_dict().items():
        assert torch.equal(value, peer[key]), key
    assert model.last_record['elr_target_given'].shape == (B, )
    assert model.last_train_logits.shape == (B, C)


def test_mean_teacher_ramp_and_the_official_sigmoid():
    model = make(ema_rampup='mean_teacher', ema_decay=0.9)
    assert [model.ema_decay_at(s)
            for s in (1, 2, 100)] == pytest.approx([0.5, 2 / 3, 0.9])
    model = make(ema_decay=0.997, ema_rampup_steps=40000)
    assert model.ema_decay_at(1) == pytest.approx(
        0.997 * np.exp(-5 * (1 - 2 / 40000)**2))
    assert model.ema_decay_at(40000) == pytest.approx(0.997)
    assert sigmoid_rampup(0, 10) == pytest.approx(np.exp(-5))
    assert sigmoid_rampup(5, 10) == pytest.approx(np.exp(-1.25))
    assert sigmoid_rampup(30, 10) == sigmoid_rampup(3, 0) == 1.0


def test_label_reweight_follows_the_official_hundred_class_rule():
    assert make(num_classes=100).label_reweight is True
    assert make(num_classes=10).label_reweight is False
    assert make(num_classes=100, label_reweight=False).label_reweight is False


def test_target_update_and_terms_by_hand():
    t = torch.tensor([[0.2, 0.3, 0.1]], dtype=torch.float64)
    z = torch.tensor([[0.0, np.log(2.0), np.log(5.0)]], dtype=torch.float64)
    new = elr_plus_target_update(t, z, 0.5)
    torch.testing.assert_close(
        new,
        torch.tensor([[0.1 + 0.0625, 0.15 + 0.125, 0.05 + 0.3125]],
                     dtype=torch.float64))
    y = torch.tensor([[0.75, 0.25, 0.0]], dtype=torch.float64)
    ce, reg = elr_plus_terms(z, y, new, 1e-4, False)
    p = np.array([1, 2, 5]) / 8
    assert float(ce) == pytest.approx(-(0.75 * np.log(p[0]) +
                                        0.25 * np.log(p[1])))
    assert float(reg) == pytest.approx(np.log(1 - (new.numpy()[0] * p).sum()))
    # a zero product keeps the mixed label instead of 0 / 0
    q0 = torch.tensor([[0.0, 0.0, 1.0]], dtype=torch.float64)
    torch.testing.assert_close(reweighted_labels(y, q0), y)


@pytest.mark.parametrize('dtype', [torch.float32, torch.float16])
def test_extreme_logits_stay_finite(dtype):
    z = torch.tensor([[1e4, -1e4, 0.0], [-3e4, 3e4, 3e4]]).to(dtype)
    z.requires_grad_(True)
    y = torch.tensor([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])
    q = elr_plus_target_update(torch.zeros(2, 3), z, 0.0)
    ce, reg = elr_plus_terms(z, y, q, 1e-4, True)
    assert ce.dtype == torch.float32
    (ce.sum() + reg.sum()).backward()
    assert torch.isfinite(reg).all() and torch.isfinite(z.grad).all()


@pytest.mark.parametrize('kwargs, match', [
    (dict(beta=1.0), 'beta'),
    (dict(lambda_elr=-1), 'lambda_elr'),
    (dict(mixup_alpha=-0.5), 'mixup_alpha=-0.5'),
    (dict(ema_decay=1.0), 'ema_decay=1.0'),
    (dict(ema_rampup='linear'), "ema_rampup='linear'"),
    (dict(ema_rampup_steps=1.5), 'ema_rampup_steps=1.5'),
    (dict(coef_rampup_steps=-1), 'coef_rampup_steps=-1'),
])
def test_bad_arguments_name_the_option(kwargs, match):
    with pytest.raises(ValueError, match=match):
        make(**kwargs)


def test_more_refusals():
    with pytest.raises(TypeError, match='label_reweight'):
        make(label_reweight='yes')
    model = make()
    with pytest.raises(TypeError, match='net=0|1'):
        model.train_step(make_batch(B, seed=0), wrappers(model))
    with pytest.raises(ValueError, match='LabelSmoothLoss would be ignored'):
        MODELS.build(
            dict(
                type='ELRPlusClassifier',
                backbone=dict(type='SmallCNN', in_channels=1, channels=(4, 8)),
                neck=dict(type='GlobalAveragePooling'),
                head=dict(
                    type='LinearClsHead',
                    num_classes=C,
                    in_channels=8,
                    loss=dict(type='LabelSmoothLoss', label_smooth_val=0.1))))
