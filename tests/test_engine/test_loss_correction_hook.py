# Copyright (c) lnl_mm contributors. All rights reserved.
"""LossCorrectionHook in a real Runner: CE during the warm-up, the estimate
after it (written with its error and figure), the oracle T, resume with
the estimated T, and the configurations it refuses."""
import json
import os.path as osp
import uuid

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.hooks import Hook
from mmengine.logging import MMLogger
from mmengine.runner import Runner
from test_hooks import _Interrupt, _Killed  # noqa: I100

from lnl_mm.utils.launch import add_default_hooks

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
FORWARD = osp.join(
    ROOT, 'configs/loss_correction/forward-correction_cnn4_1xb64-30e_'
    'digits-sym80.py')


def _runner(work_dir, hook=None, loss=None, **options):
    cfg = Config.fromfile(FORWARD)
    cfg.work_dir = str(work_dir)
    cfg.experiment_name = f'test_{uuid.uuid4().hex}'
    cfg.default_hooks.logger.interval = 1000
    hooks = [h for h in cfg.custom_hooks if h['type'] != 'LossCorrectionHook']
    if hook is not None:
        hooks.append(dict(type='LossCorrectionHook', **hook))
    cfg.custom_hooks = hooks
    if loss is not None:
        cfg.model.head.loss = loss
    cfg.merge_from_dict({'train_cfg.max_epochs': 2, **options})
    add_default_hooks(cfg)
    return Runner.from_cfg(cfg)


def _json(path):
    with open(path) as f:
        return json.load(f)


@pytest.fixture(autouse=True)
def _clear_loggers():
    yield
    MMLogger._instance_dict.clear()


def test_warm_up_then_the_estimate(tmp_path):
    runner = _runner(tmp_path, hook=dict(warmup_epochs=1))
    loss = runner.model.head.loss_module
    seen = []
    runner.register_hook(_EpochProbe(seen, loss), priority='LOWEST')
    runner.train()
    # epoch 1 plain CE, epoch 2 corrected
    assert seen == [(0, True, False), (1, False, True)]
    record = _json(tmp_path / 'transition_estimate.json')
    assert record['source'] == 'estimate' and record['epoch'] == 1
    T = np.array(record['transition'])
    assert np.allclose(T, loss.transition.numpy())
    assert np.allclose(T.sum(1), 1) and len(record['anchors']) == 10
    assert record['noise_rate'] == pytest.approx(1 - np.trace(T) / 10)
    manifest = _json(tmp_path / 'noise_manifest.json')
    realised = np.array(manifest['transition_matrix'])
    assert np.allclose(record['realised'], realised, atol=1e-6)
    err = record['error']
    assert err['max_abs_error'] == pytest.approx(
        np.abs(T - realised).max(), abs=1e-6)
    assert osp.isfile(tmp_path / 'transition_estimate.png')
    # each anchor of class i is a training sample: its prediction, row i
    assert all(0 <= a < 1347 for a in record['anchors'])


class _EpochProbe(Hook):
    """Records the loss's state at each epoch's first iteration."""

    def __init__(self, seen, loss):
        self.seen, self.loss = seen, loss

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        if batch_idx == 0:
            self.seen.append((runner.epoch, self.loss.warming_up,
                              bool(self.loss.has_transition)))


def test_each_row_is_the_prediction_of_its_anchor(tmp_path):
    """warmup_epochs = max_epochs: the run ends with the model the estimate
    was made from, so its predictions of the anchors are the rows of T."""
    from lnl_mm.engine.utils.predict import dataset_loader, predict_logits
    runner = _runner(
        tmp_path, hook=dict(warmup_epochs=1), **{'train_cfg.max_epochs': 1})
    runner.train()
    record = _json(tmp_path / 'transition_estimate.json')
    idx, logits = predict_logits(runner.model,
                                 dataset_loader(runner.train_dataloader))
    probs = torch.from_numpy(logits).double().softmax(1).numpy()
    rows = probs[np.searchsorted(idx, record['anchors'])]
    assert np.allclose(
        np.array(record['transition']),
        rows / rows.sum(1, keepdims=True),
        atol=1e-6)
    # and each anchor is below its column's 97th percentile (the filter)
    for i, a in enumerate(np.searchsorted(idx, record['anchors'])):
        assert probs[a, i] < np.percentile(probs[:, i], 97, method='higher')


def test_the_oracle_is_the_realised_transition(tmp_path):
    runner = _runner(
        tmp_path, hook=dict(source='oracle'), **{'train_cfg.max_epochs': 1})
    runner.train()
    realised = _json(tmp_path / 'noise_manifest.json')
    assert np.allclose(
        runner.model.head.loss_module.transition.numpy(),
        realised['transition_matrix'],
        atol=1e-6)
    record = _json(tmp_path / 'transition_estimate.json')
    assert record['source'] == 'oracle' and record['anchors'] is None


def test_a_matrix_from_another_run(tmp_path):
    """The official two runs: estimate, then train with the file."""
    first = _runner(
        tmp_path / 'first',
        hook=dict(warmup_epochs=1),
        **{'train_cfg.max_epochs': 1})
    first.train()
    path = str(tmp_path / 'first' / 'transition_estimate.json')
    MMLogger._instance_dict.clear()
    second = _runner(
        tmp_path / 'second',
        hook=dict(source='file', file=path),
        **{'train_cfg.max_epochs': 1})
    seen = []
    loss = second.model.head.loss_module
    second.register_hook(_EpochProbe(seen, loss), priority='LOWEST')
    second.train()
    assert seen == [(0, False, True)]  # corrected from the first step
    estimate = _json(path)
    record = _json(tmp_path / 'second' / 'transition_estimate.json')
    assert record['source'] == 'file' and record['file'] == path
    assert np.allclose(record['transition'], estimate['transition'])
    assert record['error'] == pytest.approx(estimate['error'])


def test_resume_keeps_the_estimate_bit_exact(tmp_path):
    full = _runner(tmp_path / 'full', hook=dict(warmup_epochs=1))
    full.train()
    part = _runner(tmp_path / 'part', hook=dict(warmup_epochs=1))
    part.register_hook(_Interrupt(at_epoch=1), priority='LOWEST')
    with pytest.raises(_Killed):
        part.train()
    MMLogger._instance_dict.clear()
    resumed = _runner(
        tmp_path / 'part', hook=dict(warmup_epochs=1), resume=True)
    resumed.train()
    loss = resumed.model.head.loss_module
    assert bool(loss.has_transition) and not loss.warming_up
    a, b = full.model.state_dict(), resumed.model.state_dict()
    assert 'head.loss_module.transition' in a
    for key in a:
        assert torch.equal(a[key], b[key]), key


def test_a_new_run_does_not_inherit_a_loaded_matrix(tmp_path):
    first = _runner(
        tmp_path / 'first',
        hook=dict(source='oracle'),
        **{'train_cfg.max_epochs': 1})
    first.train()
    MMLogger._instance_dict.clear()
    # load_from (not resume) the oracle run, estimate in this one
    second = _runner(
        tmp_path / 'second',
        hook=dict(warmup_epochs=1),
        load_from=str(tmp_path / 'first' / 'epoch_1.pth'),
        **{'train_cfg.max_epochs': 1})
    seen = []
    loss = second.model.head.loss_module
    second.register_hook(_EpochProbe(seen, loss), priority='LOWEST')
    second.train()
    assert seen == [(0, True, False)]  # CE warm-up, not the oracle T
    assert _json(tmp_path / 'second' /
                 'transition_estimate.json')['source'] == 'estimate'


def test_refused_configurations(tmp_path):
    ce = dict(type='CrossEntropyLoss')
    with pytest.raises(TypeError, match='head loss is CrossEntropyLoss'):
        _runner(tmp_path / 'a', hook=dict(), loss=ce).train()
    given = dict(
        type='ForwardCorrectionLoss',
        num_classes=10,
        transition=np.eye(10).tolist())
    with pytest.raises(ValueError, match='given transition= in the config'):
        _runner(tmp_path / 'b', hook=dict(), loss=given).train()
    with pytest.raises(RuntimeError, match='no transition matrix'):
        _runner(tmp_path / 'c').train()  # neither a matrix nor the hook
    with pytest.raises(ValueError, match='warmup_epochs=3 > max_epochs=2'):
        _runner(tmp_path / 'd', hook=dict(warmup_epochs=3)).train()
    with pytest.raises(ValueError, match='needs an epoch-based train loop'):
        _runner(
            tmp_path / 'e',
            hook=dict(warmup_epochs=1),
            train_cfg=dict(
                _delete_=True, type='IterBasedTrainLoop',
                max_iters=10)).train()


@pytest.mark.parametrize('kwargs, match', [
    (dict(source='manifest'), "source must be one of"),
    (dict(source='oracle', warmup_epochs=3), 'warmup_epochs applies to'),
    (dict(source='file'), "file= goes with source='file'"),
    (dict(file='T.json'), "file= goes with source='file'"),
    (dict(warmup_epochs=0), 'warmup_epochs must be an int >= 1'),
    (dict(percentile=101), 'percentile must be a number in'),
    (dict(percentile='97'), 'percentile must be a number in'),
])
def test_bad_hook_arguments(kwargs, match):
    from lnl_mm.engine.hooks import LossCorrectionHook
    with pytest.raises(ValueError, match=match):
        LossCorrectionHook(**kwargs)
