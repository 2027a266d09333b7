# Copyright (c) lnl_mm contributors. All rights reserved.
"""Hooks inside real Runners on the embedded digits data."""
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

from lnl_mm.utils.launch import add_default_hooks

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
DEMO = osp.join(
    ROOT, 'configs/noisy_baseline/'
    'ce_smallcnn_1xb64-30e_digits-sym40.py')


def build_runner(work_dir, **options):
    cfg = Config.fromfile(DEMO)
    cfg.work_dir = str(work_dir)
    cfg.experiment_name = f'test_{uuid.uuid4().hex}'
    cfg.default_hooks.logger.interval = 1000
    cfg.merge_from_dict(options)
    add_default_hooks(cfg)  # as tools/train.py does
    return Runner.from_cfg(cfg)


@pytest.fixture(autouse=True)
def _clear_loggers():
    yield
    MMLogger._instance_dict.clear()


def test_run_writes_manifest_summary_and_dynamics(tmp_path):
    runner = build_runner(tmp_path, **{'train_cfg.max_epochs': 2})
    runner.train()
    manifest = json.loads((tmp_path / 'noise_manifest.json').read_text())
    assert manifest['generator'] == 'symmetric'
    assert manifest['num_samples'] == 1347
    summary = json.loads((tmp_path / 'summary.json').read_text())
    assert summary['num_evaluations'] == 2 and summary['last_epoch'] == 2
    assert [h['epoch'] for h in summary['history']] == [1, 2]
    assert summary['best'] == max(h['value'] for h in summary['history'])
    dyn = json.loads((tmp_path / 'training_dynamics.json').read_text())
    assert [d['epoch'] for d in dyn] == [1, 2]
    assert dyn[-1]['num_samples'] == 1347  # every training sample seen once
    assert dyn[-1]['noise_rate_seen'] == pytest.approx(
        manifest['realised_rate'])
    per_sample = np.load(tmp_path / 'dynamics' / 'epoch_2.npz')
    assert sorted(per_sample['sample_idx']) == list(range(1347))
    assert (tmp_path / 'plots' / 'memorization.png').stat().st_size > 0
    assert (tmp_path / 'plots' / 'loss_dist_epoch_2.png').exists()


class _Killed(Exception):
    pass


class _Interrupt(Hook):
    """Simulates a killed job after the checkpoint of ``at_epoch``."""

    def __init__(self, at_epoch):
        self.at_epoch = at_epoch

    def after_train_epoch(self, runner):
        if runner.epoch + 1 == self.at_epoch:
            raise _Killed


def test_resume_round_trip_equals_uninterrupted_run(tmp_path):
    full = build_runner(tmp_path / 'full', **{'train_cfg.max_epochs': 3})
    full.train()
    # the same config, killed right after the epoch-2 checkpoint is written
    part = build_runner(tmp_path / 'part', **{'train_cfg.max_epochs': 3})
    part.register_hook(_Interrupt(at_epoch=2), priority='LOWEST')
    with pytest.raises(_Killed):
        part.train()
    ckpt = tmp_path / 'part' / 'epoch_2.pth'
    # the checkpoint loads with the safe unpickler, explicitly
    state = torch.load(str(ckpt), weights_only=True, map_location='cpu')
    assert state['meta']['epoch'] == 2
    MMLogger._instance_dict.clear()
    resumed = build_runner(
        tmp_path / 'part', resume=True, **{'train_cfg.max_epochs': 3})
    resumed.train()
    for (k, a), (_, b) in zip(full.model.state_dict().items(),
                              resumed.model.state_dict().items()):
        assert torch.equal(a, b), f'{k} differs after resume'
    s_full = json.loads((tmp_path / 'full' / 'summary.json').read_text())
    s_res = json.loads((tmp_path / 'part' / 'summary.json').read_text())
    assert s_res['history'] == s_full['history']  # nothing lost on resume
    d_res = json.loads(
        (tmp_path / 'part' / 'training_dynamics.json').read_text())
    assert [d['epoch'] for d in d_res] == [1, 2, 3]
    check = [h for h in resumed.hooks if type(h).__name__ == 'ResumeCheckHook']
    assert check and check[0].differences == []  # same config: same schedule


def _resume_check(runner):
    return next(
        h for h in runner.hooks if type(h).__name__ == 'ResumeCheckHook')


def test_resume_with_raised_max_epochs_says_the_schedule_is_kept(tmp_path):
    first = build_runner(
        tmp_path, **{
            'train_cfg.max_epochs': 1,
            'param_scheduler.T_max': 1
        })
    first.train()
    assert _resume_check(first).differences == []  # a new run: no check
    MMLogger._instance_dict.clear()
    resumed = build_runner(
        tmp_path,
        resume=True,
        **{
            'train_cfg.max_epochs': 2,
            'param_scheduler.T_max': 2
        })
    resumed.train()
    diffs = _resume_check(resumed).differences
    assert diffs == [
        'param_scheduler[0] (CosineAnnealingLR) T_max: checkpoint 1, config 2',
        'param_scheduler[0] (CosineAnnealingLR) end: checkpoint 1, config 2'
    ]
    # the saved schedule is in force: T_max = 1, so epoch 2 sits at
    # the cosine's far end and the lr climbs back to the base value
    assert resumed.param_schedulers[0].T_max == 1


def test_load_from_is_not_a_resume_for_the_schedule_check(tmp_path):
    first = build_runner(
        tmp_path / 'a', **{
            'train_cfg.max_epochs': 1,
            'param_scheduler.T_max': 1
        })
    first.train()
    MMLogger._instance_dict.clear()
    fresh = build_runner(
        tmp_path / 'b',
        load_from=str(tmp_path / 'a' / 'epoch_1.pth'),
        **{
            'train_cfg.max_epochs': 1,
            'param_scheduler.T_max': 5
        })
    fresh.train()
    assert _resume_check(fresh).differences == []
    assert fresh.param_schedulers[0].T_max == 5


def test_head_num_classes_mismatch_fails_before_training(tmp_path):
    runner = build_runner(
        tmp_path, **{
            'train_cfg.max_epochs': 1,
            'model.head.num_classes': 5
        })
    with pytest.raises(ValueError, match='model.head.num_classes=5'):
        runner.train()


def test_summary_hook_unknown_metric(tmp_path):
    cfg_hooks = [
        dict(type='AccuracySummaryHook', metric='accuracy/top5'),
    ]
    runner = build_runner(
        tmp_path, custom_hooks=cfg_hooks, **{'train_cfg.max_epochs': 1})
    with pytest.raises(KeyError, match="metric='accuracy/top5'"):
        runner.train()


def test_noise_options_from_cfg_options(tmp_path):
    runner = build_runner(
        tmp_path, **{
            'train_cfg.max_epochs':
            1,
            'train_dataloader.dataset.noise':
            dict(type='asymmetric', rate=0.4, class_map='mnist')
        })
    runner.train()
    m = json.loads((tmp_path / 'noise_manifest.json').read_text())
    assert m['generator'] == 'asymmetric'
    rates = m['per_class_rate']
    assert all(rates[c] == 0.0 for c in (0, 4, 9))
    assert all(abs(rates[c] - 0.4) < 0.01 for c in (7, 2, 5, 6, 3))


def test_noisy_labels_that_differ_between_ranks_stop_the_run(
        tmp_path, monkeypatch):
    from lnl_mm.engine.hooks import noise_manifest_hook
    runner = build_runner(tmp_path, **{'train_cfg.max_epochs': 1})
    # what all_gather_object returns when rank 1 built other noise
    monkeypatch.setattr(noise_manifest_hook, 'all_gather_object',
                        lambda d: [d, 'f' * 64])
    with pytest.raises(
            RuntimeError,
            match='noisy labels differ between '
            'ranks .*rank 1: ffffffffffffffff'):
        runner.train()


def test_rank_digests_are_the_manifest_hash(tmp_path):
    runner = build_runner(tmp_path, **{'train_cfg.max_epochs': 1})
    runner.train()
    hook = next(
        h for h in runner.hooks if type(h).__name__ == 'NoiseManifestHook')
    manifest = json.loads((tmp_path / 'noise_manifest.json').read_text())
    assert hook.rank_digests == [manifest['sha256_noisy_labels']]


def test_train_label_counts_hook_gives_nlnl_the_noisy_counts(tmp_path):
    cfg = Config.fromfile(
        osp.join(
            ROOT, 'configs/robust_losses/'
            'nlnl_cnn4_1xb64-30e_digits-sym40.py'))
    cfg.work_dir = str(tmp_path)
    cfg.experiment_name = f'test_{uuid.uuid4().hex}'
    cfg.train_cfg.max_epochs = 1
    add_default_hooks(cfg)
    runner = Runner.from_cfg(cfg)
    runner.train()
    noisy = runner.train_dataloader.dataset.noisy_labels
    counts = np.bincount(noisy, minlength=10)
    loss = runner.model.head.loss_module
    np.testing.assert_allclose(
        loss.weight_table.numpy(), counts.max() / counts, rtol=1e-6)
    # counted on the noisy labels, not the clean ones
    clean = np.bincount(
        runner.train_dataloader.dataset.clean_labels, minlength=10)
    assert not np.array_equal(counts, clean)


def test_train_label_counts_hook_without_a_taker_is_an_error(tmp_path):
    runner = build_runner(
        tmp_path, **{
            'train_cfg.max_epochs': 1,
            'custom_hooks': [dict(type='TrainLabelCountsHook')]
        })
    with pytest.raises(ValueError, match='no module of the model takes'):
        runner.train()


def test_bn_eval_quirk_hook_freezes_bn_after_the_first_iteration(tmp_path):
    """The seed's bug by name: from the second iteration of an epoch the
    model is in eval mode (BatchNorm statistics stop moving); each epoch
    starts in train mode again."""
    from mmengine.hooks import Hook as _Hook
    cfg = Config.fromfile(DEMO)
    cfg.work_dir = str(tmp_path)
    cfg.experiment_name = f'test_{uuid.uuid4().hex}'
    cfg.default_hooks.logger.interval = 1000
    cfg.train_cfg.max_epochs = 2
    cfg.custom_hooks = cfg.custom_hooks + [dict(type='BNEvalQuirkHook')]
    add_default_hooks(cfg)
    runner = Runner.from_cfg(cfg)
    seen = []

    class Spy(_Hook):
        priority = 'HIGHEST'

        def before_train_iter(self, runner, batch_idx, data_batch=None):
            bn = [
                m for m in runner.model.modules()
                if isinstance(m, torch.nn.BatchNorm2d)
            ][0]
            seen.append((runner.epoch, batch_idx, runner.model.training,
                         bn.running_mean.clone()))

    runner.register_hook(Spy())
    runner.train()
    assert any(
        isinstance(m, torch.nn.BatchNorm2d) for m in runner.model.modules())
    for epoch in (0, 1):
        steps = [s for s in seen if s[0] == epoch]
        assert steps[0][2] and not any(s[2] for s in steps[1:])
        # only the first (train-mode) step moved the running statistics
        later = [s[3] for s in steps[1:]]
        assert all(torch.equal(later[0], m) for m in later)
        assert not torch.equal(steps[0][3], later[0])


@pytest.mark.parametrize('max_epochs,val_interval,interval', [(4, 1, 1),
                                                              (3, 2, 1),
                                                              (4, 1, 2)])
def test_dynamics_reach_the_json_log_and_tensorboard(tmp_path, max_epochs,
                                                     val_interval, interval):
    """The per-epoch dynamics are in MMEngine's JSON log as mmpretrain's
    analyze_logs.py reads it (with val_interval 1 every validation entry
    carries every key), each at its own epoch with that epoch's value (no
    window mean, no stale value from an earlier epoch, one entry per
    epoch), and in TensorBoard: scalars, the loss histograms of clean and
    noisy samples, the figures."""
    pytest.importorskip('tensorboard')
    from mmpretrain.utils import load_json_log
    from tensorboard.backend.event_processing.event_accumulator import \
        EventAccumulator
    runner = build_runner(
        tmp_path, **{
            'train_cfg.max_epochs':
            max_epochs,
            'train_cfg.val_interval':
            val_interval,
            'custom_hooks.2.interval':
            interval,
            'visualizer.vis_backends':
            [dict(type='LocalVisBackend'),
             dict(type='TensorboardVisBackend')]
        })
    assert runner.cfg.custom_hooks[2]['type'] == 'TrainingDynamicsHook'
    runner.train()
    dyn = {
        d['epoch']: d
        for d in json.loads((tmp_path / 'training_dynamics.json').read_text())
    }
    expected = [e for e in range(1, max_epochs + 1) if e % interval == 0]
    assert sorted(dyn) == expected
    stamp = runner.timestamp
    logs = load_json_log(str(tmp_path / stamp / 'vis_data' / f'{stamp}.json'))
    entries = [e for e in logs['val'] if 'dynamics/acc_given' in e]
    assert [e['step'] for e in entries] == expected
    for entry in entries:
        for key in ('noisy_memorized', 'loss_given', 'noisy_loss'):
            assert entry[f'dynamics/{key}'] == pytest.approx(
                dyn[entry['step']][key])
    if (val_interval, interval) == (1, 1):  # as analyze_logs needs them
        assert all('accuracy/top1' in e for e in entries)
        assert len(logs['val']) == max_epochs
    events = EventAccumulator(
        str(tmp_path / stamp / 'vis_data'),
        size_guidance={
            'scalars': 0,
            'histograms': 0,
            'images': 0
        }).Reload()
    tags = events.Tags()
    steps = [e.step for e in events.Scalars('dynamics/noisy_memorized')]
    assert steps == expected
    assert {'dynamics/loss_clean',
            'dynamics/loss_noisy'} <= set(tags['histograms'])
    assert [e.step
            for e in events.Histograms('dynamics/loss_noisy')] == expected
    assert {'dynamics/memorization',
            'dynamics/loss_distribution'} <= set(tags['images'])


def test_build_runner_takes_a_work_dir_as_load_from(tmp_path):
    """load_from may name a work dir or its last_checkpoint wherever a
    runner is built (tune trials, analysis tools), not only in train.py."""
    from mmengine.config import Config

    from lnl_mm.utils.launch import build_runner as build
    run_dir = tmp_path / 'warmup'
    run_dir.mkdir()
    ckpt = run_dir / 'epoch_3.pth'
    torch.save(dict(state_dict={}, meta=dict(epoch=3)), ckpt)
    (run_dir / 'last_checkpoint').write_text('/elsewhere/epoch_3.pth')
    for given in (run_dir, run_dir / 'last_checkpoint'):
        cfg = Config.fromfile(DEMO)
        cfg.work_dir = str(tmp_path / 'wd')
        cfg.experiment_name = f'test_{uuid.uuid4().hex}'
        cfg.load_from = str(given)
        runner = build(cfg)
        assert runner._load_from == str(ckpt)


def test_gls_warmup_hook_sets_the_phase_by_epoch():
    from types import SimpleNamespace

    from lnl_mm.engine.hooks import GLSWarmupHook
    from lnl_mm.models.losses import GLSLoss
    loss = GLSLoss(smooth_rate=-0.4, wa=0.0, wb=1.0)
    runner = SimpleNamespace(
        model=SimpleNamespace(head=SimpleNamespace(loss_module=loss)),
        max_epochs=5,
        epoch=0)
    hook = GLSWarmupHook(warmup_epochs=2)
    hook.before_train(runner)
    seen = []
    for epoch in range(5):
        runner.epoch = epoch
        hook.before_train_epoch(runner)
        seen.append((loss.wa, loss.wb))
    assert seen == [(1.0, 0.0)] * 2 + [(0.0, 1.0)] * 3
    # a run resumed in the GLS phase: the config's weights, not CE's
    resumed = GLSWarmupHook(warmup_epochs=2)
    fresh = GLSLoss(smooth_rate=-0.4)
    runner.model.head.loss_module = fresh
    runner.epoch = 3
    resumed.before_train(runner)
    resumed.before_train_epoch(runner)
    assert (fresh.wa, fresh.wb) == (0.0, 1.0)
    with pytest.raises(ValueError, match='leaves no GLS epoch'):
        GLSWarmupHook(warmup_epochs=5).before_train(runner)
    with pytest.raises(ValueError, match='warmup_epochs must be'):
        GLSWarmupHook(warmup_epochs=0)
    runner.model.head.loss_module = torch.nn.CrossEntropyLoss()
    with pytest.raises(TypeError, match='must be a GLSLoss'):
        GLSWarmupHook(warmup_epochs=1).before_train(runner)


def test_resume_check_records_only_built_schedulers():
    """A runner that only tests keeps ``param_scheduler`` as its config
    (one dict, a list, one list per optimizer): nothing to record, and
    nothing raises; built schedulers are recorded by name."""
    from lnl_mm.engine.hooks.resume_check_hook import _flatten
    cosine = dict(type='CosineAnnealingLR', T_max=30, by_epoch=True)
    assert _flatten(cosine) == {}
    assert _flatten([cosine, dict(type='LinearLR')]) == {}
    assert _flatten(dict(net1=[cosine], net2=[cosine])) == {}
    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
    from mmengine.optim import CosineAnnealingLR, OptimWrapper
    built = CosineAnnealingLR(OptimWrapper(opt), T_max=30)
    assert _flatten([built]) == {'param_scheduler[0]': built}
    assert _flatten(dict(net1=[built])) == {'net1[0]': built}
