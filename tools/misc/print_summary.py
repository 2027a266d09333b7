# Copyright (c) lnl_mm contributors. All rights reserved.
"""Print what noisy-label runs measured, as one aligned table.

Each WORK_DIR is a run's work dir, or any folder above runs (a grid, a
``tools/tune.py`` sweep): every run below it that wrote a summary is a row.
A run contributes one row per summary file it wrote: ``summary.json`` (the
evaluated model), ``summary_raw.json`` (the raw model beside an EMA model),
``summary_ssim.json`` and the per-set files of denoising runs,
``summary_holdout.json`` (a sweep trial, validated on held-out noisy
labels). For a single run, the noise manifest, the memorisation and the
files are printed below the table; for a sweep, its selection.

Example:
    python tools/misc/print_summary.py work_dirs/demo/ce work_dirs/demo/gce
"""
import argparse
import glob
import json
import os.path as osp
import sys
from typing import List, Optional

SUMMARY_GLOB = 'summary*.json'
#: Files of a run's work dir that mark it as a run.
RUN_MARKERS = ('summary.json', 'summary_holdout.json')


def load(path: str) -> Optional[dict]:
    if not osp.isfile(path):
        return None
    with open(path) as f:
        return json.load(f)


def evaluated_on(summary: dict, filename: str) -> str:
    """What the summary's numbers are measured on (summaries written
    before the field existed: from the metric and the file name)."""
    if summary.get('evaluated_on'):
        return summary['evaluated_on']
    if 'holdout' in filename:
        return 'held-out noisy labels'
    metric = summary.get('metric', '')
    if metric.startswith(('psnr', 'ssim')):
        return 'clean test images'
    return 'clean test labels'


def find_runs(root: str) -> List[str]:
    """``root`` if it is a run's work dir, else every run below it."""
    if any(osp.isfile(osp.join(root, m)) for m in RUN_MARKERS):
        return [root]
    found = set()
    for marker in RUN_MARKERS:
        for path in glob.glob(osp.join(root, '**', marker), recursive=True):
            found.add(osp.dirname(path))
    return sorted(found)


def rows_of(run: str, base: str) -> List[List[str]]:
    """One table row per summary file of ``run``."""
    manifest = load(osp.join(run, 'noise_manifest.json'))
    dynamics = load(osp.join(run, 'training_dynamics.json')) or []
    noise = '-' if manifest is None else \
        f'{manifest["generator"]} {manifest["realised_rate"]:.3f}'
    memorised = '-'
    if dynamics and dynamics[-1].get('noisy_memorized') is not None:
        memorised = f'{dynamics[-1]["noisy_memorized"]:.3f}'
    name = osp.relpath(run, base) if run != base else osp.basename(
        osp.normpath(run))
    rows = []
    for path in sorted(glob.glob(osp.join(run, SUMMARY_GLOB))):
        s = load(path)
        if not s or not s.get('num_evaluations'):
            continue
        rows.append([
            name,
            osp.basename(path), s['metric'],
            evaluated_on(s, osp.basename(path)), f'{s["last"]:.2f}',
            f'{s["mean_last_k"]:.2f} ± {s["std_last_k"]:.2f} '
            f'(k={s["k"]})', f'{s["best"]:.2f} (ep {s["best_epoch"]})',
            str(s['last_epoch']), noise, memorised
        ])
    return rows


HEADER = [
    'run', 'summary', 'metric', 'measured on', 'last', 'mean of last k',
    'best', 'epochs', 'noise (realised)', 'noisy memorised'
]


def aligned(rows: List[List[str]]) -> str:
    widths = [
        max(len(r[i]) for r in [HEADER, *rows]) for i in range(len(HEADER))
    ]

    def line(cells):
        return '| ' + ' | '.join(c.ljust(w)
                                 for c, w in zip(cells, widths)) + ' |'

    return '\n'.join([
        line(HEADER), '|' + '|'.join('-' * (w + 2) for w in widths) + '|',
        *(line(r) for r in rows)
    ])


def details(run: str) -> None:
    """Noise, memorisation and files of one run."""
    manifest = load(osp.join(run, 'noise_manifest.json'))
    dynamics = load(osp.join(run, 'training_dynamics.json'))
    if manifest is not None:
        print(f'Noise: {manifest["generator"]} {manifest["params"]} '
              f'seed={manifest["seed"]}: realised rate '
              f'{manifest["realised_rate"]:.4f} ({manifest["num_flipped"]} of '
              f'{manifest["num_samples"]} labels flipped)')
        print('  per-class rate: ' +
              ' '.join('-' if r is None else f'{r:.3f}'
                       for r in manifest['per_class_rate']))
        print(f'  sha256 noisy labels: {manifest["sha256_noisy_labels"]}')
    if dynamics and dynamics[-1].get('noisy_memorized') is not None:
        last = dynamics[-1]
        fit = last.get('clean_fit', last.get('clean_acc'))  # 0.1: clean_acc
        print(f'Memorisation at epoch {last["epoch"]}: '
              f'{last["noisy_memorized"]:.3f} of noisy samples fit their '
              f'wrong label, {last["noisy_corrected"]:.3f} predict the '
              f'true one; clean samples fit: {fit:.3f}')
    print('Files:')
    names = [
        osp.basename(p)
        for p in sorted(glob.glob(osp.join(run, SUMMARY_GLOB)))
    ] + [
        'noise_manifest.json', 'training_dynamics.json',
        'plots/memorization.png'
    ]
    if dynamics:
        names.append(f'plots/loss_dist_epoch_{dynamics[-1]["epoch"]}.png')
    for name in names:
        path = osp.join(run, name)
        if osp.exists(path):
            print(f'  {path}')


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=' '.join(__doc__.split('\n\n')[0].split()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog='\n'.join(__doc__.split('\n')[2:]))
    parser.add_argument(
        'work_dirs',
        nargs='+',
        metavar='WORK_DIR',
        help='a run\'s work dir, or a folder above runs (grid, sweep)')
    args = parser.parse_args(argv)
    rows, runs, bases = [], [], []
    for root in args.work_dirs:
        if not osp.isdir(root):
            sys.exit(f'{root} is not a folder')
        found = find_runs(root)
        if not found:
            sys.exit(f'{root} holds no run summary (summary*.json): did the '
                     'run finish with validation enabled?')
        base = root if len(found) > 1 else osp.dirname(osp.normpath(root))
        runs += found
        bases += [base] * len(found)
    runs = [osp.abspath(r) for r in runs]
    bases = [osp.abspath(b) for b in bases]
    names = [osp.relpath(r, b) for r, b in zip(runs, bases)]
    if len(set(names)) < len(names):  # e.g. two grids with the same runs:
        common = osp.commonpath(runs)  # name them from their common folder
        bases = [common] * len(runs)
    for run, base in zip(runs, bases):
        rows += rows_of(run, base)
    print(aligned(rows))
    print('last: the final epoch; mean of last k: mean ± std of the last k '
          'evaluations; best: the best epoch, picked on the set it is '
          'measured on (optimistic on clean test labels, shown only beside '
          'the others).')
    for root in args.work_dirs:
        sweep = osp.join(root, 'results.md')
        if osp.isfile(sweep):
            print(f'Sweep {root}:')
            with open(sweep) as f:
                print(f.read().rstrip())
    if len(runs) == 1:
        details(runs[0])


if __name__ == '__main__':
    main()
