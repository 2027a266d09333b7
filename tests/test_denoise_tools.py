# Copyright (c) lnl_mm contributors. All rights reserved.
"""Denoising end to end: a tiny training run, tools/denoise.py, the
benchmark and the grid, run as a user runs them."""
import json
import os.path as osp
import sys
from pathlib import Path

import pytest
from test_tools import check, run  # noqa: I100

CFG = 'configs/denoising/n2s_dncnn7_1xb64-6e_skimage-gauss25.py'
TINY = [
    'train_cfg.max_epochs=1', 'train_cfg.val_interval=1',
    'train_dataloader.dataset.stride=60',
    'train_dataloader.dataset.scales=[1]', 'model.backbone.depth=3',
    'model.backbone.channels=8'
]


@pytest.fixture(scope='module')
def work_dir(tmp_path_factory):
    wd = str(tmp_path_factory.mktemp('denoise') / 'run')
    check(
        run([
            sys.executable, 'tools/train.py', CFG, '--work-dir', wd, '--noise',
            'impulse0.3', '--cfg-options', *TINY
        ]))
    return wd


def test_training_writes_psnr_and_ssim_summaries(work_dir):
    psnr = json.loads(Path(osp.join(work_dir, 'summary.json')).read_text())
    ssim = json.loads(
        Path(osp.join(work_dir, 'summary_ssim.json')).read_text())
    assert psnr['metric'] == 'psnr' and psnr['num_evaluations'] == 1
    assert ssim['metric'] == 'ssim' and 0 < ssim['last'] <= 1


def test_denoise_tool(work_dir, tmp_path):
    out_dir = str(tmp_path / 'figs')
    text = check(
        run([
            sys.executable, 'tools/denoise.py', 'skimage:camera', '--config',
            CFG, '--checkpoint', work_dir, '--noise', 'impulse0.3',
            '--out-dir', out_dir, '--seed', '1', '--cfg-options', *TINY[-2:]
        ])).stdout
    assert 'noisy: PSNR' in text and 'denoised: PSNR' in text
    name = 'denoised_camera_impulse0.3_seed1_from_epoch_1.png'
    assert osp.getsize(osp.join(out_dir, name)) > 0
    proc = run([
        sys.executable, 'tools/denoise.py', 'skimage:camera', '--config', CFG,
        '--checkpoint',
        osp.join(work_dir, 'last_checkpoint'), '--noise', 'gauss'
    ])
    assert proc.returncode != 0 and 'followed by its parameter' in \
        proc.stderr
    # A checkpoint of another architecture fails instead of loading half.
    proc = run([
        sys.executable, 'tools/denoise.py', 'skimage:camera', '--config', CFG,
        '--checkpoint',
        osp.join(work_dir, 'last_checkpoint')
    ])
    assert proc.returncode != 0 and 'size mismatch' in proc.stderr


def test_denoise_bench_and_grid_smoke(tmp_path):
    text = check(
        run([
            sys.executable, 'tools/benchmarks/denoise_bench.py', '--depth',
            '3', '--channels', '8', '--batch', '4', '--rounds', '1', '--steps',
            '1'
        ])).stdout
    assert 'n2s / n2c throughput:' in text
    out = str(tmp_path / 'table.md')
    check(
        run([
            sys.executable, 'tools/benchmarks/denoise_grid.py', '--modes',
            'n2s', '--styles', 'impulse0.3', '--losses', 'lp1', 'heat0.2',
            '--work-root',
            str(tmp_path / 'grid'), '--out', out, '--cfg-options', *TINY
        ]))
    table = Path(out).read_text()
    # one row per mode x style, the best loss of the row in bold
    assert '| n2s | impulse0.3 |' in table and table.count('**') == 2


def test_test_tool_takes_the_training_noise(work_dir, tmp_path):
    """tools/test.py --noise evaluates under the noise the run was trained
    and validated with: its PSNR is the run's last validation PSNR."""
    summary = json.loads(Path(osp.join(work_dir, 'summary.json')).read_text())
    args = [
        sys.executable, 'tools/test.py', CFG,
        osp.join(work_dir, 'last_checkpoint'), '--work-dir',
        str(tmp_path / 'test')
    ]
    arch = ['--cfg-options', *TINY[-2:]]
    same = check(run(args + ['--noise', 'impulse0.3'] + arch)).stdout
    other = check(run(args + arch)).stdout  # the leaf's own gauss25
    psnr = f"'psnr': {summary['last']}"
    assert psnr in same and psnr not in other
    proc = run([
        sys.executable, 'tools/test.py',
        'configs/robust_losses/ce_cnn4_1xb64-30e_digits-sym40.py',
        osp.join(work_dir, 'last_checkpoint'), '--noise', 'sym40'
    ])
    assert proc.returncode != 0 and 'always tested on clean labels' in \
        proc.stderr


def test_bsd400_protocol_reports_bsd68_and_set12_apart(tmp_path, monkeypatch):
    """The official layout (data/Train400, data/Test/Set68, data/Test/Set12)
    on tiny images: the patch count is trimmed to a multiple of the batch
    size, and each test set gets its own metrics and summary."""
    import uuid

    import mmcv
    import numpy as np
    from mmengine.config import Config
    from mmengine.logging import MMLogger
    from mmengine.runner import Runner

    from lnl_mm.utils.launch import add_default_hooks
    rng = np.random.default_rng(0)
    for folder, n, side in (('Train400', 2, 100), ('Test/Set68', 2, 64),
                            ('Test/Set12', 1, 70)):
        d = tmp_path / 'data' / folder
        d.mkdir(parents=True)
        for i in range(n):
            mmcv.imwrite(
                rng.integers(0, 256, (side, side), dtype=np.uint8),
                str(d / f'{i}.png'))
    cfg = Config.fromfile(
        osp.abspath('configs/denoising/n2s_dncnn17_1xb128-120e_bsd400-'
                    'gauss25.py'))
    cfg.work_dir = str(tmp_path / 'run')
    cfg.experiment_name = f'test_{uuid.uuid4().hex}'
    cfg.merge_from_dict({
        'train_cfg.max_epochs': 1,
        'model.backbone.depth': 3,
        'model.backbone.channels': 8,
        'train_dataloader.num_workers': 0,
        'train_dataloader.persistent_workers': False,
        'val_dataloader.num_workers': 0,
        'test_dataloader.num_workers': 0,
    })
    add_default_hooks(cfg)
    monkeypatch.chdir(tmp_path)
    runner = Runner.from_cfg(cfg)
    # 2 images x 126 patches = 252 -> 128, one full batch
    assert len(runner.train_dataloader.dataset) == 128
    assert runner.train_dataloader.drop_last
    runner.train()
    MMLogger._instance_dict.clear()
    summary = json.loads((tmp_path / 'run' / 'summary.json').read_text())
    set12 = json.loads((tmp_path / 'run' / 'summary_set12.json').read_text())
    assert summary['metric'] == 'psnr/Set68'
    assert set12['metric'] == 'psnr/Set12'
    assert summary['last'] != set12['last']
    assert (tmp_path / 'run' / 'summary_ssim_set12.json').exists()
