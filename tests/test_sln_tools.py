# Copyright (c) lnl_mm contributors. All rights reserved.
"""The training-dynamics tools and the Ray Tune sweep, run as a user runs
them, on a tiny SLN-MO-LC run's work dir."""
import csv
import glob
import json
import os
import os.path as osp
import sys
from pathlib import Path

import numpy as np
import pytest
from test_tools import ROOT, check, run  # noqa: I100

CFG = 'configs/sln/sln-mo-lc_smallcnn_1xb64-40e_digits-sym40.py'


@pytest.fixture(scope='module')
def work_dir(tmp_path_factory):
    wd = str(tmp_path_factory.mktemp('sln') / 'run')
    check(
        run([
            sys.executable, 'tools/train.py', CFG, '--work-dir', wd,
            '--cfg-options', 'train_cfg.max_epochs=2',
            'custom_hooks.SLNLabelCorrectionHook.correction_epoch=1'
        ]))
    return wd


def test_browse_noisy_dataset(tmp_path):
    text = check(
        run([
            sys.executable, 'tools/visualization/browse_noisy_dataset.py', CFG,
            '--num', '12', '--noisy-only', '--out-dir',
            str(tmp_path)
        ])).stdout
    assert osp.getsize(tmp_path / 'noisy_samples_12_noisy-only_seed0.png') > 0
    assert '12 samples, 12 noisy' in text
    proc = run([
        sys.executable, 'tools/visualization/browse_noisy_dataset.py', CFG,
        '--num', '0'
    ])
    assert proc.returncode != 0 and '--num must be >= 1' in proc.stderr


def test_plot_pred_probs(work_dir):
    tool = 'tools/analysis_tools/plot_pred_probs.py'
    text = check(run([sys.executable, tool, work_dir])).stdout
    assert osp.getsize(osp.join(work_dir, 'plots', 'pred_probs.png')) > 0
    assert 'epoch 2: mean p(given) clean' in text
    proc = run([
        sys.executable, 'tools/analysis_tools/plot_pred_probs.py', work_dir,
        '--epochs', '7'
    ])
    assert proc.returncode != 0 and '--epochs [7] not recorded' in proc.stderr


def test_sample_dissection_matches_the_records(work_dir):
    check(
        run([
            sys.executable, 'tools/analysis_tools/sample_dissection.py',
            work_dir
        ]))
    with open(osp.join(work_dir, 'plots', 'sample_dissection.csv')) as f:
        rows = list(csv.DictReader(f))
    assert [r['epoch'] for r in rows] == ['1', '2']
    rec = np.load(osp.join(work_dir, 'dynamics', 'epoch_2.npz'))
    noisy = rec['given'] != rec['clean']
    assert float(rows[1]['noisy_memorized']) == pytest.approx(
        (rec['pred'] == rec['given'])[noisy].mean())
    assert float(rows[1]['clean_fit']) == pytest.approx(
        (rec['pred'] == rec['given'])[~noisy].mean())
    shares = [
        float(rows[1][k])
        for k in ('noisy_memorized', 'noisy_corrected', 'noisy_other')
    ]
    assert sum(shares) == pytest.approx(1)


def test_transition_from_work_dir_and_checkpoint(work_dir, tmp_path):
    tool = 'tools/analysis_tools/plot_transition.py'
    text = check(run([sys.executable, tool, work_dir, '--epoch', '2'])).stdout
    made = osp.join(work_dir, 'plots', 'transition_epoch_2.png')
    assert osp.exists(made)
    assert 'realised noise rate 0.39' in text
    before = osp.getmtime(made)
    # a checkpoint (the pointer, with the dumped config): quiet, its own
    # file name, no temporary folder left behind
    tmp_before = set(glob.glob('/tmp/lnl_mm_records_*'))
    proc = check(
        run([sys.executable, tool,
             osp.join(work_dir, 'last_checkpoint')]))
    assert osp.getmtime(made) == before  # the records' figure is kept
    ckpt_png = osp.join(work_dir, 'plots', 'transition_from_epoch_2.png')
    assert osp.getsize(ckpt_png) > 0
    lines = (proc.stdout + proc.stderr).strip().splitlines()
    assert len(lines) < 10, lines
    assert any('Predicting the training set with' in line for line in lines)
    assert set(glob.glob('/tmp/lnl_mm_records_*')) == tmp_before
    # CONFIG CHECKPOINT, the checkpoint given as its work dir, --out-dir
    out_dir = str(tmp_path / 'figs')
    check(
        run([sys.executable, tool, CFG, work_dir + '/', '--out-dir', out_dir]))
    assert os.listdir(out_dir) == ['transition_from_epoch_2.png']
    proc = run([sys.executable, tool, CFG, str(tmp_path / 'nowhere')])
    assert proc.returncode != 0 and 'pass a checkpoint file' in proc.stderr


def test_tune_two_trial_sweep_selects_on_holdout(tmp_path):
    pytest.importorskip('ray')
    wd = str(tmp_path / 'tune')
    proc = check(
        run([
            sys.executable, 'tools/tune.py',
            'configs/sln/sln_smallcnn_1xb64-40e_digits-sym40.py', '--param',
            'model.head.loss.sigma=0.0,1.0', '--seeds', '1', '--work-dir', wd,
            '--cfg-options', 'train_cfg.max_epochs=2'
        ]))
    text = proc.stdout
    assert 'selected: model.head.loss.sigma=' in text
    # per-epoch progress of each trial and an ETA, then each trial's result
    assert 'sigma=1.0, seed 0: epoch 1/2, holdout' in text
    assert 'ETA' in text and '[2/2 trials done]' in text
    noise = proc.stdout + proc.stderr
    for quiet in ('MultiScaleDeformableAttention', 'To visualize your results '
                  'with TensorBoard', 'Token authentication is enabled'):
        assert quiet not in noise
    table = Path(osp.join(wd, 'results.md')).read_text()
    assert 'held-out share of the noisy training data' in table
    with open(osp.join(wd, 'results.csv')) as f:
        rows = list(csv.DictReader(f))
    assert sorted(r['model.head.loss.sigma'] for r in rows) == ['0.0', '1.0']
    assert osp.getsize(osp.join(wd, 'results.png')) > 0
    trial = rows[0]['work_dir']
    assert osp.exists(osp.join(trial, 'summary_holdout.json'))
    proc = run([sys.executable, 'tools/tune.py', 'x.py', '--param', 'sigma'])
    assert proc.returncode != 0 and 'expected key=value1' in proc.stderr


def test_sln_bench_smoke():
    text = check(
        run([
            sys.executable, 'tools/benchmarks/sln_bench.py', '--setting',
            'digits', '--epochs', '2', '--rounds', '1'
        ])).stdout
    row = [line for line in text.splitlines() if line.startswith('| digits')]
    assert len(row) == 1 and len(row[0].split('|')) == 8


def test_sigkill_mid_epoch_then_resume_equals_the_uninterrupted_run(tmp_path):
    import torch
    opts = [
        '--cfg-options', 'train_cfg.max_epochs=4',
        'custom_hooks.SLNLabelCorrectionHook.correction_epoch=3'
    ]  # SLN draws, then LC
    full, part = str(tmp_path / 'full'), str(tmp_path / 'part')
    check(
        run([sys.executable, 'tools/train.py', CFG, '--work-dir', full,
             *opts]))
    # the same config plus a hook that SIGKILLs the process after the 6th
    # iteration of the third epoch: mid-epoch, two epochs after epoch_2.pth
    killer = tmp_path / 'killed_mid_epoch_3.py'
    killer.write_text(
        f'_base_ = [{osp.join(ROOT, CFG)!r}]\n'
        "custom_imports = dict(imports=['lnl_mm', 'sigkill_hook'], "
        'allow_failed_imports=False)\n'
        'custom_hooks = _base_.custom_hooks + [\n'
        "    dict(type='SigkillAtIterationHook', epoch=2, batch_idx=5)]\n")
    killed = run([
        sys.executable, 'tools/train.py',
        str(killer), '--work-dir', part, *opts
    ],
                 PYTHONPATH=osp.join(ROOT, 'tests'))
    assert killed.returncode == -9, killed.stderr[-2000:]
    assert osp.exists(osp.join(part, 'epoch_2.pth'))
    assert not osp.exists(osp.join(part, 'epoch_3.pth'))
    check(
        run([
            sys.executable, 'tools/train.py', CFG, '--work-dir', part,
            '--resume', *opts
        ]))
    a = torch.load(osp.join(full, 'epoch_4.pth'), weights_only=True)
    b = torch.load(osp.join(part, 'epoch_4.pth'), weights_only=True)
    for key in ('state_dict', 'ema_state_dict'):  # store.targets included
        for name, value in a[key].items():
            assert torch.equal(value, b[key][name]), f'{key}.{name}'
    assert int(a['state_dict']['store.targets_writes']) == 1  # epoch 4
    for key in ('optimizer', 'param_schedulers'):
        _assert_same(a[key], b[key], key)


def _assert_same(a, b, where):
    """Exactly equal nested checkpoint entries (tensors bit for bit)."""
    import torch
    assert type(a) is type(b), where
    if isinstance(a, torch.Tensor):
        assert torch.equal(a, b), where
    elif isinstance(a, dict):
        assert a.keys() == b.keys(), where
        for k in a:
            _assert_same(a[k], b[k], f'{where}.{k}')
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b)):
            _assert_same(x, y, f'{where}[{i}]')
    else:
        assert a == b, where


@pytest.mark.parametrize('ext', ['csv', 'npy'])
def test_noise_file_round_trip(tmp_path, ext):
    """tools/dataset_converters/write_noise_file.py writes any generator's
    noise (SLN's CSV or .npy); from_file reads back the same labels, bit
    for bit, and the CSV's label column is checked against the clean ones."""
    from mmengine.config import Config
    from mmpretrain.registry import DATASETS
    cfg_path = 'configs/robust_losses/ce_cnn4_1xb64-30e_digits-sym40.py'
    out = tmp_path / f'noise.{ext}'
    proc = check(
        run([
            sys.executable, 'tools/dataset_converters/write_noise_file.py',
            cfg_path, '--noise', 'asym40_mnist', '--out',
            str(out)
        ]))
    assert 'realised rate' in proc.stdout
    cfg = Config.fromfile(osp.join(ROOT, cfg_path))
    source = dict(cfg.train_dataloader.dataset)
    source['noise'] = dict(
        type='asymmetric', rate=0.4, class_map='mnist', exact=False)
    expected = DATASETS.build(source).noisy_labels
    source['noise'] = dict(type='from_file', path=str(out))
    if ext == 'csv':
        source['noise']['column'] = 'label_noisy'
    read = DATASETS.build(source).noisy_labels
    assert np.array_equal(read, expected) and (read != expected).sum() == 0
    assert (expected != DATASETS.build(
        dict(source, noise=dict(type='symmetric',
                                rate=0.0))).noisy_labels).mean() > 0.15


def test_dataset_stats_on_an_animal10n_fixture(tmp_path):
    """Per-channel mean / std over every pixel of the raw training images,
    as re-sln computes them (checked by hand on two constant images)."""
    import cv2
    for split in ('training', 'testing'):
        (tmp_path / split).mkdir()
    # BGR on disk: RGB (30, 20, 10) and (50, 40, 10)
    cv2.imwrite(
        str(tmp_path / 'training' / '0_a.png'),
        np.full((4, 4, 3), (10, 20, 30), dtype=np.uint8))
    cv2.imwrite(
        str(tmp_path / 'training' / '1_b.png'),
        np.full((4, 4, 3), (10, 40, 50), dtype=np.uint8))
    cv2.imwrite(
        str(tmp_path / 'testing' / '2_c.png'),
        np.zeros((4, 4, 3), dtype=np.uint8))
    out = tmp_path / 'stats.json'
    proc = run([
        sys.executable, 'tools/dataset_converters/dataset_stats.py',
        'configs/sln/sln_wrn28-2_1xb128-300e_animal10n.py', '--json',
        str(out), '--cfg-options', f'train_dataloader.dataset.data_root='
        f'{tmp_path}'
    ])
    check(proc)
    stats = json.loads(out.read_text())
    assert stats['mean'] == [40.0, 30.0, 10.0]
    assert stats['std'] == [10.0, 10.0, 0.0]
    assert stats['images'] == 2 and stats['pixels_per_channel'] == 32
    assert 'data_preprocessor.mean="[40.0,30.0,10.0]"' in proc.stdout


def test_tsne_features(work_dir, tmp_path):
    text = check(
        run([
            sys.executable, 'tools/visualization/tsne_features.py', CFG,
            osp.join(work_dir, 'epoch_2.pth'), '--max-samples', '150',
            '--out-dir',
            str(tmp_path)
        ])).stdout
    assert osp.getsize(tmp_path / 'tsne_train_from_epoch_2.png') > 0
    arrays = np.load(str(tmp_path / 'tsne_train_from_epoch_2.npz'))
    assert arrays['embedding'].shape == (150, 2)
    idx = arrays['sample_idx']
    assert np.all(np.diff(idx) > 0) and idx.max() < 1347
    np.testing.assert_array_equal(
        arrays['is_noisy'], arrays['given_label'] != arrays['clean_label'])
    assert 0.25 < arrays['is_noisy'].mean() < 0.55  # 40 % symmetric noise
    assert f'{int(arrays["is_noisy"].sum())} with a wrong given' in text
    proc = run([
        sys.executable, 'tools/visualization/tsne_features.py', CFG,
        osp.join(work_dir, 'epoch_2.pth'), '--max-samples', '-1'
    ])
    assert proc.returncode != 0 and '--max-samples must be >= 0' in (
        proc.stderr + proc.stdout)


def test_predicted_features_give_the_logits_through_the_head(work_dir):
    import torch
    from mmengine.config import Config
    from mmengine.logging import MMLogger

    from lnl_mm.engine.utils import (build_from_checkpoint, predict_features,
                                     predict_logits)
    cfg = Config.fromfile(osp.join(ROOT, CFG))
    model, loader, _ = build_from_checkpoint(cfg,
                                             osp.join(work_dir, 'epoch_2.pth'))
    MMLogger._instance_dict.clear()
    idx_f, feats = predict_features(model, loader)
    idx_l, logits = predict_logits(model, loader)
    np.testing.assert_array_equal(idx_f, idx_l)
    with torch.no_grad():
        through_head = model.head.fc(torch.from_numpy(feats)).numpy()
    np.testing.assert_allclose(through_head, logits, rtol=1e-5, atol=1e-5)
