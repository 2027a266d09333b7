# Copyright (c) lnl_mm contributors. All rights reserved.
"""The meta optimizer constructor, the weighting net and the diagnostics
statistics."""
import numpy as np
import pytest
import torch
from mmengine.optim import OptimWrapperDict
from mmpretrain.registry import MODELS

import lnl_mm  # noqa: F401
from lnl_mm.engine.optimizers import MetaOptimWrapperConstructor
from lnl_mm.evaluation import meta_epoch_stats, plot_meta_diagnostics


def mwnet():
    return MODELS.build(
        dict(
            type='MetaWeightNetClassifier',
            backbone=dict(type='SmallCNN', in_channels=1, channels=(4, 8)),
            neck=dict(type='GlobalAveragePooling'),
            head=dict(type='LinearClsHead', num_classes=3, in_channels=8),
            meta_net=dict(type='MetaWeightNet', hidden=7)))


def test_constructor_splits_model_and_meta_net():
    model = mwnet()
    wrappers = MetaOptimWrapperConstructor(
        dict(
            model=dict(
                optimizer=dict(type='SGD', lr=0.1, momentum=0.9),
                clip_grad=dict(max_norm=1.0)),
            meta=dict(optimizer=dict(type='Adam', lr=1e-3))))(
                model)
    assert isinstance(wrappers, OptimWrapperDict)
    ids = {
        k: {id(p)
            for g in w.optimizer.param_groups
            for p in g['params']}
        for k, w in wrappers.items()
    }
    meta_ids = {id(p) for p in model.meta_net.parameters()}
    assert ids['meta'] == meta_ids
    assert ids['model'] == {id(p) for p in model.parameters()} - meta_ids
    assert wrappers['model'].clip_grad_kwargs == dict(max_norm=1.0)
    assert type(wrappers['meta'].optimizer).__name__ == 'Adam'


def test_constructor_bad_configs():
    with pytest.raises(KeyError, match='expects the keys'):
        MetaOptimWrapperConstructor(dict(meta=dict(optimizer=dict())))
    with pytest.raises(KeyError, match='generator'):
        MetaOptimWrapperConstructor(dict(model=dict(), generator=dict()))
    sgd = dict(optimizer=dict(type='SGD', lr=0.1))
    with pytest.raises(ValueError, match='give optim_wrapper.meta'):
        MetaOptimWrapperConstructor(dict(model=sgd))(mwnet())
    plain = MODELS.build(
        dict(
            type='L2RWClassifier',
            backbone=dict(type='SmallCNN', in_channels=1, channels=(4, 8)),
            neck=dict(type='GlobalAveragePooling'),
            head=dict(type='LinearClsHead', num_classes=3, in_channels=8)))
    with pytest.raises(ValueError, match='has no meta_net'):
        MetaOptimWrapperConstructor(dict(model=sgd, meta=sgd))(plain)


def test_weighting_net_shape_range_and_detached_input():
    net = MODELS.build(dict(type='MetaWeightNet', hidden=100))
    assert net.fc1.in_features == 1 and net.fc2.out_features == 1
    assert net.fc1.out_features == 100
    losses = torch.tensor([0.1, 2.0, 5.0], requires_grad=True)
    w = net(losses)
    assert w.shape == (3, ) and ((w > 0) & (w < 1)).all()
    w.sum().backward()
    assert losses.grad is None  # the loss enters detached
    with pytest.raises(ValueError, match='hidden'):
        MODELS.build(dict(type='MetaWeightNet', hidden=0))


def test_meta_epoch_stats_and_plot(tmp_path):
    values = dict(
        weight=np.array([2.0, 1.0, 0.0, 0.5]),
        beta=np.array([0.9, 0.8, 0.1, 0.3]))
    noisy = np.array([False, False, True, True])
    s = meta_epoch_stats(values, noisy)
    assert (s['n_clean'], s['n_noisy']) == (2, 2)
    assert s['weight_clean_mean'] == 1.5 and s['weight_noisy_mean'] == 0.25
    assert s['beta_noisy_q50'] == pytest.approx(0.2)
    assert 'weight_noisy_mean' not in meta_epoch_stats(
        dict(weight=values['weight']), np.zeros(4, bool))
    history = [dict(s, epoch=1), dict(s, epoch=2)]
    path = tmp_path / 'diag.png'
    plot_meta_diagnostics(history, values, noisy, str(path))
    assert path.stat().st_size > 1000


class _Runner:
    """What MetaDiagnosticsHook.before_train reads of a runner."""

    def __init__(self, iteration):
        self.iter = iteration  # > 0 after a resume, 0 after load_from
        self.model = torch.nn.Module()
        self.model.last_record = {}
        self.train_dataloader = type('Loader', (), {'dataset': [0, 1]})()


def test_diagnostics_history_continues_on_resume_only():
    from lnl_mm.engine.hooks import MetaDiagnosticsHook
    saved = {'meta_diagnostics': [{'epoch': 1}, {'epoch': 2}]}
    hook = MetaDiagnosticsHook()
    hook.after_load_checkpoint(_Runner(0), saved)
    hook.before_train(_Runner(0))  # load_from: a new history
    assert hook.history == []
    hook.after_load_checkpoint(_Runner(0), saved)
    hook.before_train(_Runner(40))  # resumed at iteration 40
    assert [h['epoch'] for h in hook.history] == [1, 2]
