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


def run_one(config, work_dir, options, seed, extra):
    summary = osp.join(work_dir, 'summary.json')
    if osp.exists(summary):  # resumable grid: finished runs are reused
        return json.load(open(summary))
    cmd = [
        sys.executable,
        osp.join(ROOT, 'tools/train.py'), config, '--work-dir', work_dir,
        '--cfg-options', f'randomness.seed={seed}',
        f'train_dataloader.dataset.seed={seed}', *options, *extra
    ]
    cmd[4:4] = continue_flags(work_dir)  # an interrupted run resumes
    log = osp.join(work_dir + '.log')
    os.makedirs(osp.dirname(log), exist_ok=True)
    with open(log, 'w') as f:
        proc = subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT)
    if proc.returncode != 0:
        raise SystemExit(f'run failed, see {log}')
    return json.load(open(summary))


def fmt(values):
    return f'{np.mean(values):.2f} ± {np.std(values):.2f}'


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('configs', nargs='+')
    parser.add_argument('--noise', nargs='+', required=True)
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
        import matplotlib
        matplotlib.use('Agg')
        import matplotlib.pyplot as plt
        fig, ax = plt.subplots(figsize=(max(4, len(rows) * 1.2), 3.5))
        x = np.arange(len(rows))
        ax.bar(
            x - 0.2, [np.mean(r[2]) for r in rows],
            0.4,
            yerr=[np.std(r[2]) for r in rows],
            label='last epoch')
        ax.bar(
            x + 0.2, [np.mean(r[4]) for r in rows],
            0.4,
            yerr=[np.std(r[4]) for r in rows],
            label='best epoch')
        # the method is the first field of an OpenMMLab config name
        ax.set_xticks(
            x, [f'{r[0].split("_")[0]}\n{r[1]}' for r in rows], fontsize=7)
        ax.set_ylabel('clean test accuracy (%)')
        ax.legend(fontsize=8)
        fig.tight_layout()
        fig.savefig(args.plot, dpi=100)


if __name__ == '__main__':
    main()
