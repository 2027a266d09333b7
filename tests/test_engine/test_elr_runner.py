# Copyright (c) lnl_mm contributors. All rights reserved.
"""ELR in a real Runner: the store sized by SampleStoreHook, every sample's
target written once per epoch, bit-exact resume with the targets."""
import os.path as osp
import uuid

import pytest
import torch
from mmengine.config import Config
from mmengine.logging import MMLogger
from mmengine.runner import Runner
from test_hooks import _Interrupt, _Killed  # noqa: I100

from lnl_mm.utils.launch import add_default_hooks

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
ELR = osp.join(ROOT, 'configs/elr/elr_cnn4_1xb64-30e_digits-sym80.py')


def _runner(work_dir, config=ELR, **options):
    cfg = Config.fromfile(config)
    cfg.work_dir = str(work_dir)
    cfg.experiment_name = f'test_{uuid.uuid4().hex}'
    cfg.default_hooks.logger.interval = 1000
    cfg.merge_from_dict({'train_cfg.max_epochs': 3, **options})
    add_default_hooks(cfg)
    return Runner.from_cfg(cfg)


@pytest.fixture(autouse=True)
def _clear_loggers():
    yield
    MMLogger._instance_dict.clear()


def test_elr_resume_is_bit_exact_with_its_targets(tmp_path):
    full = _runner(tmp_path / 'full')
    full.train()
    store = full.model.store
    assert len(store) == 1347 and store.writes('elr_targets') == 3 * 22
    rows = store.elr_targets
    # every training sample has been in a batch: its target is a
    # distribution that the momentum has brought near one
    assert (rows.sum(1) > 1 - 0.7**3 - 1e-4).all() and (rows.sum(1) <= 1).all()
    part = _runner(tmp_path / 'part')
    part.register_hook(_Interrupt(at_epoch=2), priority='LOWEST')
    with pytest.raises(_Killed):
        part.train()
    MMLogger._instance_dict.clear()
    resumed = _runner(tmp_path / 'part', resume=True)
    resumed.train()
    a, b = full.model.state_dict(), resumed.model.state_dict()
    assert a.keys() == b.keys() and 'store.elr_targets' in a
    for key in a:
        assert torch.equal(a[key], b[key]), key


def test_sample_store_hook_needs_a_model_with_a_store(tmp_path):
    demo = osp.join(
        ROOT, 'configs/noisy_baseline/ce_smallcnn_1xb64-30e_digits-sym40.py')
    runner = _runner(
        tmp_path, demo, custom_hooks=[dict(type='SampleStoreHook')])
    with pytest.raises(
            TypeError,
            match='SampleStoreHook sizes the per-sample '
            'store.*ImageClassifier has none'):
        runner.train()


def test_elr_without_the_hook_says_which_hook_sizes_the_store(tmp_path):
    cfg = Config.fromfile(ELR)
    hooks = [h for h in cfg.custom_hooks if h['type'] != 'SampleStoreHook']
    runner = _runner(tmp_path, custom_hooks=hooks)
    with pytest.raises(RuntimeError, match="dict\\(type='SampleStoreHook'\\)"):
        runner.train()
