# Copyright (c) lnl_mm contributors. All rights reserved.
"""The label-issue grid script: the commands it runs, in order, with a
stand-in interpreter; a rerun skips the finished trainings."""
import os
import os.path as osp
import subprocess

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
        'kfold_predict.py', 'find_label_issues.py', 'train.py', 'train.py'
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
    assert 'train.py' not in again and len(again) == 4
