# Copyright (c) lnl_mm contributors. All rights reserved.
"""tools/misc/print_summary.py on hand-written work dirs: several at once
as one table, every summary file of a run, sweep folders, the right
wording for what each number is measured on."""
import json
import os
import os.path as osp
import sys

from test_tools import check, run  # noqa: I100


def _summary(path, metric, last, **extra):
    os.makedirs(osp.dirname(path), exist_ok=True)
    with open(path, 'w') as f:
        json.dump(
            dict(
                metric=metric,
                num_evaluations=3,
                last=last,
                last_epoch=3,
                k=2,
                mean_last_k=last - 1,
                std_last_k=0.5,
                best=last + 2,
                best_epoch=2,
                **extra), f)


def _rows(text):
    out = {}
    for line in text.splitlines():
        if line.startswith('| ') and not line.startswith('| run '):
            cells = [c.strip() for c in line.strip('|').split('|')]
            if len(cells) == 10:  # the summary table, not the sweep's
                out[(cells[0], cells[1])] = cells
    return out


def test_runs_sweeps_and_denoisers_in_one_table(tmp_path):
    ema = tmp_path / 'sln-mo'
    _summary(str(ema / 'summary.json'), 'accuracy/top1', 61.5)
    _summary(str(ema / 'summary_raw.json'), 'raw/accuracy/top1', 40.25)
    den = tmp_path / 'n2s'
    _summary(str(den / 'summary.json'), 'psnr', 28.5)  # written by 0.1
    _summary(
        str(den / 'summary_ssim.json'),
        'ssim',
        0.75,
        evaluated_on='clean test images')
    sweep = tmp_path / 'tune'
    for sigma in (0.1, 1.0):
        _summary(
            str(sweep / 'trials' / f'sigma{sigma}_seed0' /
                'summary_holdout.json'),
            'accuracy/top1',
            50 + sigma,
            evaluated_on='held-out noisy labels')
    (sweep / 'results.md').write_text('| sigma | holdout |\n| **1.0** | 51 |')
    text = check(
        run([
            sys.executable, 'tools/misc/print_summary.py',
            str(ema),
            str(den),
            str(sweep)
        ])).stdout
    rows = _rows(text)
    assert rows[('sln-mo',
                 'summary.json')][3:5] == ['clean test labels', '61.50']
    assert rows[('sln-mo', 'summary_raw.json')][2:5] == [
        'raw/accuracy/top1', 'clean test labels', '40.25'
    ]
    assert rows[('n2s', 'summary.json')][3] == 'clean test images'
    assert rows[('n2s', 'summary_ssim.json')][4] == '0.75'
    trial = osp.join('trials', 'sigma1.0_seed0')
    assert rows[(trial, 'summary_holdout.json')][3:5] == [
        'held-out noisy labels', '51.00'
    ]
    assert len(rows) == 6
    widths = {
        len(line)
        for line in text.split('Sweep ')[0].splitlines() if line[:1] == '|'
    }
    assert len(widths) == 1  # aligned
    assert 'chosen on test labels' not in text  # 0.1's wording, also for PSNR
    assert 'Sweep ' in text and '| **1.0** | 51 |' in text


def test_a_folder_without_runs_fails_clearly(tmp_path):
    proc = run([sys.executable, 'tools/misc/print_summary.py', str(tmp_path)])
    assert proc.returncode != 0 and 'holds no run summary' in proc.stderr


def test_runs_of_the_same_name_are_told_apart(tmp_path):
    for grid in ('grid_a', 'grid_b'):
        _summary(
            str(tmp_path / grid / 'ce' / 'summary.json'), 'accuracy/top1',
            70.0 if grid == 'grid_a' else 75.0)
    text = check(
        run([
            sys.executable, 'tools/misc/print_summary.py',
            str(tmp_path / 'grid_a' / 'ce'),
            str(tmp_path / 'grid_b' / 'ce')
        ])).stdout
    rows = _rows(text)
    assert rows[('grid_a/ce', 'summary.json')][4] == '70.00'
    assert rows[('grid_b/ce', 'summary.json')][4] == '75.00'
