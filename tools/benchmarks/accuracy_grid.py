# Copyright (c) lnl_mm contributors. All rights reserved.
"""Run configs x noise settings x seeds and tabulate clean-test accuracy.

Every run is a normal ``tools/train.py`` run in its own work dir; the table
reads each run's ``summary.json`` and reports mean ± std over seeds of the
last-epoch, mean-of-last-k and best-epoch accuracy (best is selected on test
labels and shown for comparison only).

Noise settings are ``name=key:value,key:value`` strings turned into
``--cfg-options``, e.g. ``sym40=type:symmetric,rate:0.4``.

Example:
    python tools/benchmarks/accuracy_grid.py \\
        configs/noisy_baseline/ce_smallcnn_1xb64-30e_digits-sym40.py \\
        --noise clean=type:symmetric,rate:0.0 sym40=type:symmetric,rate:0.4 \\
        --seeds 0 1 2 --work-root work_dirs/grid --out results.md
"""
import argparse
import json
import os
import os.path as osp
import subprocess
import sys

import numpy as np

from lnl_mm.utils.work_dir import continue_flags

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def parse_noise(spec):
    name, _, body = spec.partition('=')
    if not body:
        raise SystemExit(f'--noise {spec!r}: expected name=key:value,...')
    opts = {}
    for item in body.split(','):
        key, _, value = item.partition(':')
        opts[key] = value
    return name, opts


def noise_options(opts):
    """One ``--cfg-options`` entry per noise key (mmengine cannot parse a
    ``dict(...)`` value); keys of the base noise dict that the spec does not
    name keep their values, so name every key the generator reads."""
    return [f'train_dataloader.dataset.noise.{k}={v}' for k, v in opts.items()]


def _is_number(v):
    try:
        float(v)
        return True
    except ValueError:
        return False


#: Written into a run's work dir when its training finished: a summary
#: alone does not say so (it is rewritten after every epoch).
DONE = 'grid_done.json'


def run_one(config, work_dir, options, seed, extra):
    summary = osp.join(work_dir, 'summary.json')
    done = osp.join(work_dir, DONE)
    if osp.exists(done):  # resumable grid: finished runs are reused
        return json.load(open(summary))
    cmd = [
        sys.executable,
        osp.join(ROOT, 'tools/train.py'),
        config,
        '--work-dir',
        work_dir,
        *continue_flags(work_dir),  # an interrupted run resumes
        '--cfg-options',
        f'randomness.seed={seed}',
        f'train_dataloader.dataset.seed={seed}',
        *options,
        *extra
    ]
    log = osp.join(work_dir + '.log')
    os.makedirs(osp.dirname(log), exist_ok=True)
    with open(log, 'a') as f:  # a resumed run's log continues the first
        proc = subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT)
    if proc.returncode != 0:
        raise SystemExit(f'run failed, see {log}')
    with open(done, 'w') as f:
        json.dump(dict(command=cmd[1:]), f)
    return json.load(open(summary))


def fmt(values):
    return f'{np.mean(values):.2f} ± {np.std(values):.2f}'


def read_table(path):
    """The rows of a table this script wrote, as ``(config, noise,
    last, mean_k, best, k)`` with one ``(mean, std)`` pair per number."""
    rows = []
    with open(path) as f:
        lines = f.read().splitlines()
    for line in lines:
        cells = [c.strip() for c in line.strip().strip('|').split('|')]
        if len(cells) != 6 or '±' not in cells[2]:
            continue

        def pair(cell):
            mean, std = cell.split('(')[0].split('±')
            return float(mean), float(std)

        k = int(cells[3].split('k=')[1].rstrip(')'))
        rows.append((cells[0], cells[1], pair(cells[2]), pair(cells[3]),
                     pair(cells[4]), k))
    if not rows:
        raise SystemExit(f'{path}: no table rows of accuracy_grid.py')
    return rows


def plot_rows(rows, path):
    """One panel per noise setting, one horizontal bar per method: the
    last-epoch accuracy (mean ± std over seeds), and the best epoch (test
    selected, optimistic) as a marker beside it."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    def stats(values):  # (mean, std) pairs from a table or raw values
        if isinstance(values, tuple):
            return values
        return float(np.mean(values)), float(np.std(values))

    noises = list(dict.fromkeys(r[1] for r in rows))
    configs = list(dict.fromkeys(r[0] for r in rows))
    # the method is the first field of an OpenMMLab config name; configs
    # that share it keep their whole name
    short = [c.split('_')[0] for c in configs]
    label = {
        c: s if short.count(s) == 1 else c
        for c, s in zip(configs, short)
    }
    methods = [label[c] for c in configs]
    fig, axes = plt.subplots(
        1,
        len(noises),
        figsize=(3.4 * len(noises) + 1.2, 0.34 * len(methods) + 1.5),
        sharey=True,
        squeeze=False)
    y = np.arange(len(methods))
    for ax, noise in zip(axes[0], noises):
        got = {label[r[0]]: r for r in rows if r[1] == noise}
        last = [stats(got[m][2]) if m in got else (np.nan, 0) for m in methods]
        best = [stats(got[m][4]) if m in got else (np.nan, 0) for m in methods]
        ax.barh(
            y, [m for m, _ in last],
            xerr=[s for _, s in last],
            color='tab:blue',
            height=0.6,
            label='last epoch (mean ± std)')
        ax.plot([m for m, _ in best],
                y,
                'D',
                mfc='none',
                mec='k',
                ms=5,
                label='best epoch (test-selected)')
        for yi, (mean, _) in zip(y, last):
            if not np.isnan(mean):
                ax.text(
                    1, yi, f'{mean:.1f}', va='center', fontsize=7, color='w')
        ax.set_title(noise, fontsize=10)
        ax.set_xlim(0, 100)
        ax.set_xlabel('clean test accuracy (%)')
        ax.grid(axis='x', alpha=0.3)
    axes[0][0].set_yticks(y, methods, fontsize=8)
    axes[0][0].invert_yaxis()
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(
        handles, labels, loc='lower center', ncol=2, fontsize=8, frameon=False)
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main():
    parser = argparse.ArgumentParser(
        description=' '.join(__doc__.split('\n\n')[0].split()))
    parser.add_argument('configs', nargs='*')
    parser.add_argument('--noise', nargs='+')
    parser.add_argument(
        '--replot',
        metavar='TABLE',
        help='draw --plot from a table this script wrote, without running')
    parser.add_argument('--seeds', nargs='+', type=int, default=[0])
    parser.add_argument('--work-root', default='work_dirs/accuracy_grid')
    parser.add_argument('--out', help='write the markdown table here')
    parser.add_argument('--plot', help='write a bar plot (PNG) here')
    parser.add_argument(
        '--cfg-options',
        nargs='*',
        default=[],
        help='extra key=value options for every run')
    args = parser.parse_args()
    if args.replot:
        if not args.plot:
            raise SystemExit('--replot needs --plot PNG')
        plot_rows(read_table(args.replot), args.plot)
        print(f'wrote {args.plot}')
        return
    if not args.configs or not args.noise:
        raise SystemExit('give CONFIGS and --noise (or --replot TABLE)')
    noises = [parse_noise(s) for s in args.noise]
    rows = []
    for config in args.configs:
        cname = osp.splitext(osp.basename(config))[0]
        for nname, opts in noises:
            results = []
            for seed in args.seeds:
                wd = osp.join(args.work_root, cname, nname, f'seed{seed}')
                results.append(
                    run_one(config, wd, noise_options(opts), seed,
                            args.cfg_options))
                print(
                    f'{cname} {nname} seed {seed}: last '
                    f'{results[-1]["last"]:.2f}',
                    flush=True)
            rows.append((cname, nname, [r['last'] for r in results
                                        ], [r['mean_last_k'] for r in results],
                         [r['best'] for r in results], results[0]['k']))
    lines = [
        '| config | noise | last epoch | mean of last k | best epoch '
        '(test-selected) | seeds |', '| --- | --- | --- | --- | --- | --- |'
    ]
    for cname, nname, last, mean_k, best, k in rows:
        lines.append(f'| {cname} | {nname} | {fmt(last)} | {fmt(mean_k)} '
                     f'(k={k}) | {fmt(best)} | {len(last)} |')
    table = '\n'.join(lines)
    print(table)
    if args.out:
        with open(args.out, 'w') as f:
            f.write(table + '\n')
    if args.plot:
        plot_rows(rows, args.plot)


if __name__ == '__main__':
    main()
