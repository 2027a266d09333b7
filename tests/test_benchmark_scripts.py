# Copyright (c) lnl_mm contributors. All rights reserved.
"""The label-issue grid script: the commands it runs, in order, with a
stand-in interpreter; a rerun skips the finished trainings. Its table from
work dirs written by hand."""
import json
import os
import os.path as osp
import subprocess
import sys

from tool_runner import run_python

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))


def _run_grid(tmp_path, *args):
    log = tmp_path / 'calls.txt'
    fake = tmp_path / 'py'
    fake.write_text('#!/bin/sh\necho "$@" >> "$CALLS"\n')
    fake.chmod(0o755)
    env = dict(os.environ, PY=str(fake), CALLS=str(log))
    subprocess.run([
        'bash', 'tools/benchmarks/label_issues_grid.sh',
        str(tmp_path / 'grid'), *args
    ],
                   cwd=ROOT,
                   env=env,
                   check=True)
    calls = log.read_text().splitlines()
    log.unlink()
    return calls


def test_label_issue_grid_steps_and_resume(tmp_path):
    calls = _run_grid(tmp_path, 'asym40', '3')
    tools = [c.split()[0].split('/')[-1] for c in calls]
    assert tools == [
        'train.py', 'find_label_issues.py', 'find_label_issues.py',
        'kfold_predict.py', 'find_label_issues.py', 'train.py', 'train.py',
        'label_issues_table.py'
    ]
    d = str(tmp_path / 'grid' / 'asym40')
    assert f'--work-dir {d}/ce --cfg-options randomness.seed=3' in calls[0]
    assert 'noise.class_map=mnist' in calls[0]
    assert '--aum-epochs 15' in calls[2] and '--aum-epochs' not in calls[1]
    assert 'train_cfg.max_epochs=10' in calls[3] and '--folds 3' in calls[3]
    assert f'noise.path={d}/aum/fixed.npy' in calls[5]
    assert f'noise.path={d}/cleanlab/fixed.npy' in calls[6]
    # a rerun keeps the finished trainings and redoes the analyses
    again = [
        c.split()[0].split('/')[-1] for c in _run_grid(tmp_path, 'asym40')
    ]
    assert 'train.py' not in again and len(again) == 5


def _write(path, obj):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj))


def test_label_issue_table_from_the_grid_dirs(tmp_path):
    d = tmp_path / 'sym40'
    report = dict(
        num_flagged=10,
        precision=0.9,
        recall=0.75,
        auroc=0.95,
        wrong_before_rate=0.4,
        wrong_after_rate=0.125,
        broken=1)
    _write(d / 'aum30' / 'label_issues.json', report)
    _write(d / 'aum' / 'label_issues.json', dict(report, num_flagged=12))
    for run, last in (('ce', 66.0), ('retrain_aum', 80.5)):
        _write(d / run / 'summary.json', dict(last=last, best=85.0))
        (d / run / 'grid_done.json').write_text('{}')
    # an unfinished retraining: its summary without the grid's mark
    _write(d / 'retrain_cleanlab' / 'summary.json', dict(last=1.0, best=2.0))
    proc = run_python([
        sys.executable, 'tools/benchmarks/label_issues_table.py',
        str(tmp_path), '--noise', 'sym40'
    ],
                      cwd=ROOT,
                      check=True,
                      text=True)
    rows = [r for r in proc.stdout.splitlines() if r.startswith('|')][2:]
    assert rows[0] == ('| sym40 | CE on the noisy labels | — | — | — | — | '
                       '40.0 % | — | 66.00 (best 85.00) |')
    assert rows[1].endswith('| 10 | 0.900 | 0.750 | 0.950 | 12.5 % | 1 | '
                            'not retrained |')
    assert '| 12 |' in rows[2] and rows[2].endswith('80.50 (best 85.00) |')
    assert rows[3] == '| | cleanlab, 3 folds of 10 epochs | — | — | — | — | ' \
        '— | — | — |'
