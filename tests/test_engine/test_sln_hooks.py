# Copyright (c) lnl_mm contributors. All rights reserved.
"""SLN-MO-LC inside real Runners: EMA + raw validation, label correction,
resume in the middle of label correction, two gloo processes."""
import json
import os.path as osp
import uuid

import pytest
import torch
from mmengine.config import Config
from mmengine.logging import MMLogger
from mmengine.runner import Runner
from test_hooks import _Interrupt, _Killed  # noqa: I100

from lnl_mm.engine.hooks import MomentumModelHook, SLNLabelCorrectionHook
from lnl_mm.utils.launch import hooks_by_name

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CFG = osp.join(ROOT, 'configs/sln/'
               'sln-mo-lc_smallcnn_1xb64-40e_digits-sym40.py')
LC = 'custom_hooks.SLNLabelCorrectionHook'  # addressed by type, not index


def _cfg(work_dir, **options):
    cfg = Config.fromfile(CFG)
    cfg.work_dir = str(work_dir)
    cfg.experiment_name = f'test_{uuid.uuid4().hex}'
    cfg.default_hooks.logger.interval = 1000
    cfg.merge_from_dict(
        hooks_by_name(
            cfg, {
                'custom_hooks.TrainingDynamicsHook.save_per_sample': False,
                'custom_hooks.TrainingDynamicsHook.plot': False,
                'train_cfg.max_epochs': 3,
                f'{LC}.correction_epoch': 1,
                **options
            }))
    return cfg


def _hook(runner, cls):
    return next(h for h in runner.hooks if isinstance(h, cls))


@pytest.fixture(autouse=True)
def _clear_loggers():
    yield
    MMLogger._instance_dict.clear()


def test_lc_targets_in_checkpoint_and_resume_restores_every_target(tmp_path):
    # Uninterrupted run: 3 epochs, corrections before epochs 2 and 3.
    full = Runner.from_cfg(_cfg(tmp_path / 'full'))
    full.train()
    lc = _hook(full, SLNLabelCorrectionHook)
    assert lc.active and full.model.head.loss_module.sigma == 0
    ck2 = torch.load(tmp_path / 'full' / 'epoch_2.pth', weights_only=True)
    ck3 = torch.load(tmp_path / 'full' / 'epoch_3.pth', weights_only=True)
    # the targets live in the model's store, in its state dict
    assert torch.equal(ck3['state_dict']['store.targets'],
                       full.model.store.targets)
    rows = ck2['state_dict']['store.targets']
    assert torch.allclose(rows.sum(1), torch.ones(len(rows)))
    assert not torch.equal(rows, ck3['state_dict']['store.targets'])
    # The EMA weights are the checkpoint's state_dict, the raw ones aside;
    # the momentum model shares the store, so both hold the same targets.
    assert 'ema_state_dict' in ck2
    assert torch.equal(ck2['ema_state_dict']['module.store.targets'], rows)
    # Summaries of both models.
    ema = json.loads((tmp_path / 'full' / 'summary.json').read_text())
    raw = json.loads((tmp_path / 'full' / 'summary_raw.json').read_text())
    assert ema['metric'] == 'accuracy/top1' and ema['num_evaluations'] == 3
    assert raw['metric'] == 'raw/accuracy/top1' and raw['num_evaluations'] == 3

    # Resume from epoch 2 (after one correction): every target restored
    # exactly, then the next correction equals the uninterrupted one.
    cfg = _cfg(
        tmp_path / 'full',
        resume=True,
        load_from=str(tmp_path / 'full' / 'epoch_2.pth'))
    cfg.train_cfg.max_epochs = 2
    resumed = Runner.from_cfg(cfg)
    resumed.train()  # loads and runs no epoch
    store = resumed.model.store
    assert torch.equal(store.targets, rows) and store.writes('targets') == 1
    assert _hook(resumed, SLNLabelCorrectionHook).active
    mo = _hook(resumed, MomentumModelHook)
    assert mo._resumed_average
    cfg = _cfg(
        tmp_path / 'resumed',
        resume=True,
        load_from=str(tmp_path / 'full' / 'epoch_2.pth'))
    resumed = Runner.from_cfg(cfg)
    resumed.train()
    # Digits have no random augmentation, so the third correction is a
    # function of the restored EMA model and targets only.
    assert torch.equal(resumed.model.store.targets,
                       ck3['state_dict']['store.targets'])


def test_momentum_model_starts_at_the_initialised_model(tmp_path):
    runner = Runner.from_cfg(_cfg(tmp_path, **{'train_cfg.max_epochs': 1}))
    seen = {}
    hook = _hook(runner, MomentumModelHook)
    orig = hook.before_train

    def before_train(r):
        orig(r)
        seen['equal'] = all(
            torch.equal(a, b)
            for a, b in zip(hook.ema_model.module.state_dict().values(),
                            hook.src_model.state_dict().values()))

    hook.before_train = before_train
    runner.train()
    assert seen['equal']


def test_lc_needs_a_momentum_model(tmp_path):
    cfg = _cfg(tmp_path)
    cfg.custom_hooks = [
        h for h in cfg.custom_hooks
        if h.type not in ('MomentumModelHook', 'AccuracySummaryHook')
    ]
    with pytest.raises(RuntimeError, match='needs a MomentumModelHook'):
        Runner.from_cfg(cfg).train()


@pytest.mark.parametrize(
    'kwargs,match',
    [(dict(correction_epoch=-1), 'correction_epoch must be'),
     (dict(correction_epoch=1, mode='argmax'), "mode must be one of"),
     (dict(correction_epoch=1, predictor='student'), 'predictor must be'),
     (dict(correction_epoch=1, loss_against='clean'), 'loss_against'),
     (dict(correction_epoch=1, batch_size=0), 'batch_size')])
def test_lc_hook_bad_options(kwargs, match):
    with pytest.raises(ValueError, match=match):
        SLNLabelCorrectionHook(**kwargs)


def test_sample_store_identical_on_two_gloo_processes(tmp_path, dist_train):
    out = dist_train(CFG, tmp_path / 'dist', 'train_cfg.max_epochs=2',
                     f'{LC}.correction_epoch=1').output
    assert 'identical on all 2 ranks' in out
    assert 'Label correction (epoch 2, hard): 1347 targets' in out


def test_resume_before_label_correction_is_bit_exact(tmp_path):
    # SLN's noise is drawn while sigma > 0: before correction starts
    opts = {f'{LC}.correction_epoch': 10}
    full = Runner.from_cfg(_cfg(tmp_path / 'full', **opts))
    full.train()
    assert full.model.head.loss_module.sigma > 0
    part = Runner.from_cfg(_cfg(tmp_path / 'part', **opts))
    part.register_hook(_Interrupt(at_epoch=1), priority='LOWEST')
    with pytest.raises(_Killed):
        part.train()
    MMLogger._instance_dict.clear()
    resumed = Runner.from_cfg(_cfg(tmp_path / 'part', resume=True, **opts))
    resumed.train()
    a, b = full.model.state_dict(), resumed.model.state_dict()
    for key in a:
        assert torch.equal(a[key], b[key]), f'{key} differs after resume'
    assert int(b['head.loss_module.num_draws']) == 3 * 22  # 3 epochs
    s_full = json.loads((tmp_path / 'full' / 'summary.json').read_text())
    s_res = json.loads((tmp_path / 'part' / 'summary.json').read_text())
    assert s_res['history'] == s_full['history']
