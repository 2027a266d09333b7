# Copyright (c) lnl_mm contributors. All rights reserved.
"""Dynamic Loss in a real Runner: ranks every epoch, the per-epoch meta set
out of training, resume, and the rank / margin tool."""
import json
import os.path as osp
import sys
import uuid
from pathlib import Path

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.logging import MMLogger
from mmengine.runner import Runner
from tool_runner import run_python  # noqa: I100

from lnl_mm.models.meta import loss_ranks
from lnl_mm.utils.launch import hooks_by_name

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CFG = osp.join(ROOT, 'configs', 'metadynamic',
               'metadynamic_smallcnn_1xb64-30e_digits-cor40-imb0.1.py')


def _cfg(work_dir, **options):
    cfg = Config.fromfile(CFG)
    cfg.work_dir = str(work_dir)
    cfg.experiment_name = f'test_{uuid.uuid4().hex}'
    cfg.default_hooks.logger.interval = 1000
    cfg.merge_from_dict(
        hooks_by_name(
            cfg, {
                'custom_hooks.TrainingDynamicsHook.save_per_sample': False,
                'custom_hooks.TrainingDynamicsHook.plot': False
            }))
    cfg.merge_from_dict({
        'train_cfg.max_epochs': 4,
        'train_cfg.warmup_epochs': 2,
        **options
    })
    return cfg


@pytest.fixture(autouse=True)
def _clear_loggers():
    yield
    MMLogger._instance_dict.clear()


def test_epochs_ranks_meta_set_and_resume(tmp_path):
    full = Runner.from_cfg(_cfg(tmp_path / 'full'))
    loop = full.train_loop
    seen = []
    real_run_iter = loop.run_iter

    def spy(idx, batch, stage='meta'):
        seen.append((loop.epoch, stage,
                     [int(s.sample_idx) for s in batch['data_samples']]))
        return real_run_iter(idx, batch, stage)

    loop.run_iter = spy
    rank_passes = []
    real_compute_ranks = loop.compute_ranks

    def spy_ranks():
        rank_passes.append(real_compute_ranks())
        return rank_passes[-1]

    loop.compute_ranks = spy_ranks
    full.train()
    model = full.model
    n = model.store.ranks.numel()
    assert n == loop.given.size
    # Warm-up epochs then meta epochs; the meta set is out of training.
    # After each meta epoch, one fine-tune pass over its meta set, through
    # run_iter: the iteration counter and the hooks see it.
    stages = {(e, s) for e, s, _ in seen}
    assert stages == {(0, 'warmup'), (1, 'warmup'), (2, 'meta'), (3, 'meta'),
                      (2, 'finetune'), (3, 'finetune')}
    assert full.iter == len(seen)
    meta = set(loop.meta_indices.tolist())
    last = {i for e, s, idx in seen if (e, s) == (3, 'meta') for i in idx}
    tuned = [i for e, s, idx in seen if (e, s) == (3, 'finetune') for i in idx]
    assert meta and not meta & last and len(last | meta) == n
    assert sorted(tuned) == sorted(meta)  # each meta sample once
    # The LR warm-up (iteration-based) counts training iterations only.
    warmup = full.param_schedulers['model'][0]
    assert type(warmup).__name__ == 'LinearLR' and not warmup.by_epoch
    assert warmup.last_step == sum(s != 'finetune' for _, s, _ in seen)
    tuned_loss = full.message_hub.get_scalar('train/finetune_loss')
    assert np.isfinite(tuned_loss.current())  # logged, not discarded
    # The training dynamics count the training pass only.
    dyn = json.loads(
        Path(tmp_path / 'full' / 'training_dynamics.json').read_text())
    assert dyn[-1]['num_samples'] == len(last)
    counts = np.bincount(loop.given[loop.meta_indices])
    assert (counts == counts[0]).all()  # class-balanced
    # The stored ranks are the loss ranks of the last rank pass: re-derived
    # here from that pass's per-sample losses (floor(j / (n_c + 1) * R)).
    ranks = model.store.ranks.numpy()
    assert len(rank_passes) == 4
    losses = rank_passes[-1]
    expected = np.zeros(n, dtype=np.int64)
    for c in range(10):
        members = np.flatnonzero(loop.given == c)
        order = members[np.argsort(losses[members], kind='stable')]
        expected[order] = np.floor(
            np.arange(order.size) / (order.size + 1) * model.rank_num)
    np.testing.assert_array_equal(ranks, expected)
    assert not np.array_equal(rank_passes[0], rank_passes[-1])
    ck = torch.load(tmp_path / 'full' / 'epoch_3.pth', weights_only=True)
    assert 'store.ranks' in ck['state_dict']
    assert set(ck['optimizer']) == {'model', 'meta'}
    # Resume from epoch 3: the last epoch recomputes ranks and meta set
    # and ends with the uninterrupted model, bit for bit.
    cfg = _cfg(
        tmp_path / 'resumed',
        resume=True,
        load_from=str(tmp_path / 'full' / 'epoch_3.pth'))
    resumed = Runner.from_cfg(cfg)
    resumed.train()
    assert np.array_equal(resumed.train_loop.meta_indices, loop.meta_indices)
    a, b = full.model.state_dict(), resumed.model.state_dict()
    for k in a:
        assert torch.equal(a[k], b[k]), k
    diag = json.loads(
        Path(tmp_path / 'resumed' / 'meta_diagnostics.json').read_text())
    assert [h['epoch'] for h in diag] == [1, 2, 3, 4]
    assert 'trust_noisy_mean' in diag[-1]
    # The visualization tool, as the official README runs it: from the
    # working directory, into work_dirs/<config name>/, JPEGs named after
    # the checkpoint, the arrays beside them.
    out = run_python(
        [
            sys.executable,
            osp.join(ROOT, 'tools/visualize_tools/vis_rank_margin.py'),
            '--config',
            CFG,
            '--checkpoint',
            str(tmp_path / 'full' / 'latest.pth')  # MMCV's name, as the README
        ],
        cwd=str(tmp_path),
        capture_output=True,
        text=True)
    assert out.returncode == 0, out.stderr[-3000:]
    vis = tmp_path / 'work_dirs' / osp.splitext(osp.basename(CFG))[0]
    for name in ('latest_rank_class.jpg', 'latest_weight.jpg'):
        assert osp.getsize(vis / name) > 1000
    trust = np.load(vis / 'latest_rank_class.npy')
    margins = np.load(vis / 'latest_weight.npy')
    assert trust.shape == (10, model.rank_num)  # (C, R), as official
    np.testing.assert_allclose(
        trust, model.meta_net.trust_table().detach().numpy().T, rtol=1e-6)
    np.testing.assert_allclose(
        margins,
        model.meta_net.margins().detach().numpy().reshape(-1),
        rtol=1e-6)
    assert 'clean share of the given class (realised)' in out.stdout


def test_boundary_is_the_clean_share_of_each_given_class():
    """From a manifest's realised transition: for given class c, the clean
    samples given c over all samples given c."""
    sys.path.insert(0, osp.join(ROOT, 'tools', 'visualization'))
    from vis_rank_margin import clean_shares

    # clean class counts 100 / 50; 20 % of class 0 given 1, 40 % of 1 given 0
    manifest = dict(
        transition_matrix=[[0.8, 0.2], [0.4, 0.6]], class_counts=[100, 50])
    shares, overall = clean_shares(manifest, 2)
    # given 0: 80 clean + 20 noisy; given 1: 30 clean + 20 noisy
    np.testing.assert_allclose(shares, [0.8, 0.6])
    assert overall == pytest.approx(110 / 150)


def test_tool_non_classwise_and_png(tmp_path):
    from mmpretrain.registry import MODELS
    cfg = Config.fromfile(CFG)
    cfg.model.meta_net.classwise = False
    cfg.model.meta_net.use_margins = False
    cfg_path = tmp_path / 'flat.py'
    cfg.dump(str(cfg_path))
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    torch.save(dict(state_dict=model.state_dict()), tmp_path / 'latest.pth')
    out = run_python([
        sys.executable,
        osp.join(ROOT, 'tools/visualize_tools/vis_rank_margin.py'), '--config',
        str(cfg_path), '--checkpoint',
        str(tmp_path / 'latest.pth'), '--out-dir',
        str(tmp_path / 'vis'), '--format', 'png', '--noise-rate', '0.4'
    ],
                     cwd=ROOT,
                     capture_output=True,
                     text=True)
    assert out.returncode == 0, out.stderr[-3000:]
    assert osp.getsize(tmp_path / 'vis' / 'latest_rank.png') > 1000
    assert np.load(tmp_path / 'vis' / 'latest_rank.npy').shape == (20, )
    assert not (tmp_path / 'vis' / 'latest_weight.png').exists()
    assert 'nominal R(1 - 0.4)' in out.stdout


def test_loop_needs_the_exclude_sampler(tmp_path):
    cfg = _cfg(tmp_path, **{'train_dataloader.sampler.type': 'DefaultSampler'})
    with pytest.raises(TypeError, match='ExcludeSampler'):
        Runner.from_cfg(cfg).train()


def test_tool_refuses_other_configs(tmp_path):
    other = osp.join(ROOT, 'configs', 'metadynamic',
                     'ce_smallcnn_1xb64-30e_digits-cor40-imb0.1.py')
    out = run_python([
        sys.executable,
        osp.join(ROOT, 'tools/visualize_tools/'
                 'vis_rank_margin.py'), '--config', other, '--checkpoint',
        'x.pth'
    ],
                     cwd=ROOT,
                     capture_output=True,
                     text=True)
    assert out.returncode != 0 and 'not a Dynamic Loss config' in out.stderr


def test_rank_helper_is_what_the_loop_uses():
    losses = np.array([3.0, 1.0, 2.0])
    assert loss_ranks(losses, np.zeros(3, int), 1, 4).tolist() == [2, 0, 1]


def test_two_gloo_processes(tmp_path, dist_train):
    """``tools/dist_train.sh`` with 2 processes: ranks are gathered, the meta
    set and the per-sample state agree, training runs through the meta DDP
    wrapper."""
    out = dist_train(CFG, tmp_path, 'train_cfg.max_epochs=2',
                     'train_cfg.warmup_epochs=1').output
    assert 'Meta diagnostics: trust_clean_mean=' in out
    ck = torch.load(tmp_path / 'epoch_2.pth', weights_only=True)
    ranks = ck['state_dict']['store.ranks']
    assert ranks.numel() == ck['state_dict']['store.given'].numel()
    assert ranks.max() < 20


def test_random_ranks_ablation_and_the_diagnostics(tmp_path):
    """random_ranks (official no_noise): the ranks are not the loss ranks;
    the loop logs the clean share per rank and the meta set's noise rate,
    and the hook scores the corrected labels against the clean ones."""
    runner = Runner.from_cfg(
        _cfg(tmp_path, **{
            'train_cfg.max_epochs': 3,
            'train_cfg.random_ranks': True
        }))
    loop = runner.train_loop
    losses_seen = []
    real = loop.compute_ranks
    loop.compute_ranks = lambda: losses_seen.append(real()) or losses_seen[-1]
    runner.train()
    ranks = runner.model.store.ranks.numpy()
    # the "losses" ranked were uniform draws, not cross-entropies
    assert ((losses_seen[-1] >= 0) & (losses_seen[-1] < 1)).all()
    clean = loop.given == loop.clean
    assert loop.rank_clean_rates.shape == (runner.model.rank_num, )
    # random ranks carry no information: every rank is about as clean
    counts = np.bincount(
        ranks, weights=clean, minlength=20) / np.bincount(
            ranks, minlength=20)
    np.testing.assert_allclose(loop.rank_clean_rates, counts)
    assert counts.max() - counts.min() < 0.35
    noise = runner.message_hub.get_scalar('train/meta_set_noise_rate')
    expected = np.mean(~clean[loop.meta_indices])
    assert noise.current() == pytest.approx(expected)
    diag = json.loads((tmp_path / 'meta_diagnostics.json').read_text())
    last = diag[-1]
    for group in ('all', 'clean', 'noisy'):
        assert 0 <= last[f'corrected_label_acc_{group}_mean'] <= 100
    # a corrected clean label is mostly the clean label
    assert last['corrected_label_acc_clean_mean'] > \
        last['corrected_label_acc_noisy_mean']


def test_train_meta_entry_point_is_train_py(tmp_path):
    """The official README's ``python tools/train_meta.py CONFIG`` works as
    written and is tools/train.py (same run, same summary)."""
    out = run_python([
        sys.executable, 'tools/train_meta.py', CFG, '--work-dir',
        str(tmp_path), '--cfg-options', 'train_cfg.max_epochs=1',
        'train_cfg.warmup_epochs=1'
    ],
                     cwd=ROOT,
                     capture_output=True,
                     text=True)
    assert out.returncode == 0, out.stderr[-3000:]
    summary = json.loads((tmp_path / 'summary.json').read_text())
    assert summary['last_epoch'] == 1
