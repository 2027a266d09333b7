# Copyright (c) lnl_mm contributors. All rights reserved.
"""Loss-related entry points run as a user runs them: the GLS two-stage
protocol (load_from), the accuracy grid, the loss benchmark, the preset
table."""
import json
import os.path as osp
import sys
from pathlib import Path

import pytest
import torch
from test_tools import check, run

WARMUP = 'configs/gls/ce-warmup_cnn4_1xb64-20e_digits-sym40.py'
GLS = 'configs/gls/gls_cnn4_1xb64-20e_digits-sym40.py'


def test_gls_two_stage_protocol_loads_the_warmup_checkpoint(tmp_path):
    warm = str(tmp_path / 'warmup')
    check(
        run([
            sys.executable, 'tools/train.py', WARMUP, '--work-dir', warm,
            '--cfg-options', 'train_cfg.max_epochs=1'
        ]))
    ckpt = osp.join(warm, 'epoch_1.pth')
    gls = str(tmp_path / 'gls')
    # load_from takes the warm-up's work dir (its last checkpoint), however
    # long the warm-up was
    out = check(
        run([
            sys.executable, 'tools/train.py', GLS, '--work-dir', gls,
            '--cfg-options', 'train_cfg.max_epochs=1', f'load_from={warm}',
            'model.head.loss.smooth_rate=-2.0'
        ]))
    log = out.stdout + out.stderr
    assert f'Load checkpoint from {ckpt}' in log
    # constant lr 1e-3 during the GLS phase
    assert "'lr': 0.001" in log or 'lr: 1.0000e-03' in log
    # stage 2 starts from the warm-up's weights: one epoch at lr 1e-3 moves
    # them by a few per cent (6 % for the head at r = -2), where an
    # independent initialisation differs by about 140 %
    warm = torch.load(ckpt, map_location='cpu', weights_only=True)
    gls_ck = torch.load(
        osp.join(gls, 'epoch_1.pth'), map_location='cpu', weights_only=True)
    weights = [
        k for k, v in warm['state_dict'].items()
        if k.endswith('weight') and v.dim() > 1
    ]
    assert weights
    for key in weights:
        a, b = warm['state_dict'][key], gls_ck['state_dict'][key]
        assert (b - a).norm() < 0.25 * a.norm(), key
    summary = json.loads(Path(osp.join(gls, 'summary.json')).read_text())
    assert summary['last_epoch'] == 1
    missing = str(tmp_path / 'no_warmup')
    proc = run([
        sys.executable, 'tools/train.py', GLS, '--work-dir',
        str(tmp_path / 'gls2'), '--cfg-options', f'load_from={missing}'
    ])
    assert proc.returncode != 0
    assert 'pass a checkpoint file, a last_checkpoint file or a work dir' \
        in proc.stderr


def test_accuracy_grid_writes_table_and_plot(tmp_path):
    root = tmp_path / 'grid'
    out = check(
        run([
            sys.executable, 'tools/benchmarks/accuracy_grid.py',
            'configs/robust_losses/gce_cnn4_1xb64-30e_digits-sym40.py',
            '--noise', 'sym20=type:symmetric,rate:0.2', '--seeds', '0', '1',
            '--work-root',
            str(root), '--out',
            str(root / 't.md'), '--plot',
            str(root / 'p.png'), '--cfg-options', 'train_cfg.max_epochs=1'
        ]))
    table = (root / 't.md').read_text()
    assert '| gce_cnn4_1xb64-30e_digits-sym40 | sym20 |' in table
    assert (root / 'p.png').stat().st_size > 0
    manifest = json.loads((root / 'gce_cnn4_1xb64-30e_digits-sym40' / 'sym20' /
                           'seed1' / 'noise_manifest.json').read_text())
    assert manifest['params'] == {'rate': 0.2} and manifest['seed'] == 1
    assert 'last' in out.stdout
    # the figure again from the table alone, and the table read back
    check(
        run([
            sys.executable, 'tools/benchmarks/accuracy_grid.py', '--replot',
            str(root / 't.md'), '--plot',
            str(root / 'again.png')
        ]))
    assert (root / 'again.png').stat().st_size > 0
    sys.path.insert(0, 'tools/benchmarks')
    from accuracy_grid import read_table
    (row, ) = read_table(str(root / 't.md'))
    summaries = [
        json.loads((root / 'gce_cnn4_1xb64-30e_digits-sym40' / 'sym20' /
                    f'seed{s}' / 'summary.json').read_text()) for s in (0, 1)
    ]
    lasts = [x['last'] for x in summaries]
    assert row[:2] == ('gce_cnn4_1xb64-30e_digits-sym40', 'sym20')
    assert row[2][0] == pytest.approx(sum(lasts) / 2, abs=0.006)


def test_loss_bench_runs_every_loss():
    out = check(
        run([
            sys.executable, 'tools/benchmarks/loss_bench.py', '--shapes',
            '64x10', '--rounds', '1', '--inner', '1'
        ]))
    for key in ('| CE |', '| NCE+AGCE |', '| GLS |', 'worst ratio'):
        assert key in out.stdout


def test_loss_bench_times_the_named_rows_and_names_a_bad_one():
    args = [
        sys.executable, 'tools/benchmarks/loss_bench.py', '--shapes', '64x10',
        '--rounds', '1', '--inner', '1', '--losses'
    ]
    out = check(run(args + ['NFL+MAE', 'NGCE']))
    rows = [
        line.split('|')[1].strip() for line in out.stdout.splitlines()
        if line.startswith('| ') and 'µs' not in line
    ]
    assert rows == ['CE', 'NGCE', 'NFL+MAE']  # CE always, table order
    bad = run(args + ['NFL+XYZ'])
    assert bad.returncode != 0
    assert "--losses: unknown ['NFL+XYZ']" in bad.stderr


def test_print_loss_presets():
    out = check(
        run([
            sys.executable, 'tools/misc/print_loss_presets.py', '--source',
            'apl_code', '--noise', 'asym'
        ]))
    assert '`NFLLoss` scale=1, gamma=0.5' in out.stdout  # asym CIFAR-10


def test_accuracy_grid_resumes_an_interrupted_run(tmp_path):
    """A run killed after an epoch has a summary but no completion marker:
    the next grid call resumes it instead of reporting its partial
    summary."""
    root = tmp_path / 'grid'
    args = [
        sys.executable, 'tools/benchmarks/accuracy_grid.py',
        'configs/robust_losses/ce_cnn4_1xb64-30e_digits-sym40.py', '--noise',
        'sym20=type:symmetric,rate:0.2', '--seeds', '0', '--work-root',
        str(root), '--cfg-options', 'train_cfg.max_epochs=2'
    ]
    check(run(args))
    wd = root / 'ce_cnn4_1xb64-30e_digits-sym40' / 'sym20' / 'seed0'
    assert (wd / 'grid_done.json').exists()
    # what a kill during epoch 2 leaves: epoch 1's checkpoint and summary
    (wd / 'grid_done.json').unlink()
    (wd / 'epoch_2.pth').unlink()
    (wd / 'last_checkpoint').write_text(str(wd / 'epoch_1.pth'))
    summary = json.loads((wd / 'summary.json').read_text())
    summary['last_epoch'] = 1
    (wd / 'summary.json').write_text(json.dumps(summary))
    check(run(args))
    assert json.loads((wd / 'summary.json').read_text())['last_epoch'] == 2
    assert (wd / 'epoch_2.pth').exists() and (wd / 'grid_done.json').exists()
    log = (root / 'ce_cnn4_1xb64-30e_digits-sym40' / 'sym20' /
           'seed0.log').read_text()
    assert log.count('Epoch(val) [2]') == 2  # both runs' lines are kept
