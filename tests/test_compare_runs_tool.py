# Copyright (c) lnl_mm contributors. All rights reserved.
"""make demo's tools: compare_runs.py on hand-written work dirs (its table,
the same-noise check) and demo.py itself on a short schedule."""
import json
import os.path as osp
import sys

from test_tools import check, run  # noqa: I100


def _run_dir(root, name, last, memorised, digest):
    d = root / name
    d.mkdir()
    history = [dict(epoch=e, value=last - 3 + e) for e in (1, 2, 3)]
    (d / 'summary.json').write_text(
        json.dumps(
            dict(
                metric='accuracy/top1',
                num_evaluations=3,
                last=last,
                last_epoch=3,
                k=2,
                mean_last_k=last - 0.5,
                std_last_k=0.5,
                best=last,
                best_epoch=3,
                history=history)))
    (d / 'training_dynamics.json').write_text(
        json.dumps([
            dict(epoch=e, noisy_memorized=memorised * e / 3) for e in (1, 2, 3)
        ]))
    (d / 'noise_manifest.json').write_text(
        json.dumps(
            dict(
                generator='symmetric',
                params=dict(rate=0.4),
                realised_rate=0.397,
                sha256_noisy_labels=digest)))
    return str(d)


def test_compare_runs_table_figure_and_noise_check(tmp_path):
    a = _run_dir(tmp_path, 'ce', 74.5, 0.99, 'ab' * 32)
    b = _run_dir(tmp_path, 'gce', 93.0, 0.05, 'ab' * 32)
    tool = 'tools/analysis_tools/compare_runs.py'
    text = check(
        run([sys.executable, tool, a, b, '--out-dir',
             str(tmp_path)])).stdout
    rows = [line for line in text.splitlines() if line.startswith('| ce ')]
    cells = [c.strip() for c in rows[0].strip('|').split('|')]
    assert cells == [
        'ce', '74.50', '74.00 ± 0.50 (k=2)', '74.50 (epoch 3)', '99.0 %'
    ]
    assert 'same noisy labels in every run (sha256 abababab' in text
    assert osp.getsize(tmp_path / 'compare_ce_vs_gce.png') > 0
    other = _run_dir(tmp_path, 'other', 80.0, 0.5, 'cd' * 32)
    proc = run([sys.executable, tool, a, other])
    assert proc.returncode == 1
    assert 'WARNING: the runs trained on different noisy labels' in \
        proc.stdout


def test_demo_trains_both_and_compares(tmp_path):
    wd = str(tmp_path / 'demo')
    text = check(
        run([
            sys.executable, 'tools/misc/demo.py', '--work-dir', wd,
            '--cfg-options', 'train_cfg.max_epochs=2'
        ])).stdout
    assert '| ce ' in text and '| nce-rce ' in text
    assert 'same noisy labels in every run' in text
    assert osp.getsize(osp.join(wd, 'compare_ce_vs_nce-rce.png')) > 0
