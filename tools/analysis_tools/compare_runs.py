# Copyright (c) lnl_mm contributors. All rights reserved.
"""Compare finished runs side by side: one table, one figure.

For each WORK_DIR: clean test accuracy (last epoch, mean of the last k,
best epoch, which is picked on the test labels and shown only beside the
others) and the share of noisy training labels the model has memorised at
the end (predicts the given, wrong label). The figure shows, per epoch, the
memorised share and the clean test accuracy of every run. It also checks
that the runs saw the same noisy labels (the manifests' sha256).

Example:
    python tools/analysis_tools/compare_runs.py work_dirs/demo/ce \\
        work_dirs/demo/nce-rce --out-dir work_dirs/demo
"""
import argparse
import json
import os
import os.path as osp
import sys
from typing import List


def load(path):
    if not osp.isfile(path):
        return None
    with open(path) as f:
        return json.load(f)


def read_run(work_dir: str) -> dict:
    summary = load(osp.join(work_dir, 'summary.json'))
    if summary is None or not summary.get('num_evaluations'):
        raise SystemExit(f'{work_dir} has no summary.json with evaluations: '
                         'did the run finish with validation enabled?')
    return dict(
        name=osp.basename(osp.normpath(work_dir)),
        summary=summary,
        dynamics=load(osp.join(work_dir, 'training_dynamics.json')) or [],
        manifest=load(osp.join(work_dir, 'noise_manifest.json')))


def table(runs: List[dict]) -> str:
    head = [
        'run', 'last epoch', 'mean of last k', 'best epoch (test-picked)',
        'noisy labels memorised'
    ]
    rows = []
    for r in runs:
        s = r['summary']
        memorised = '-'
        if r['dynamics'] and r['dynamics'][-1].get(
                'noisy_memorized') is not None:
            memorised = f'{100 * r["dynamics"][-1]["noisy_memorized"]:.1f} %'
        rows.append([
            r['name'], f'{s["last"]:.2f}',
            f'{s["mean_last_k"]:.2f} ± {s["std_last_k"]:.2f} (k={s["k"]})',
            f'{s["best"]:.2f} (epoch {s["best_epoch"]})', memorised
        ])
    widths = [max(len(x[i]) for x in [head, *rows]) for i in range(len(head))]

    def line(cells):
        return '| ' + ' | '.join(c.ljust(w)
                                 for c, w in zip(cells, widths)) + ' |'

    return '\n'.join([
        line(head), '|' + '|'.join('-' * (w + 2) for w in widths) + '|',
        *(line(r) for r in rows)
    ])


def same_noise(runs: List[dict]) -> str:
    digests = {(r['manifest'] or {}).get('sha256_noisy_labels') for r in runs}
    if None in digests:
        return 'noisy labels: not every run wrote a noise manifest'
    if len(digests) == 1:
        return (f'same noisy labels in every run (sha256 '
                f'{next(iter(digests))[:16]}...)')
    return 'WARNING: the runs trained on different noisy labels'


def plot(runs: List[dict], path: str) -> None:
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.8))
    for r in runs:
        dyn = [
            d for d in r['dynamics'] if d.get('noisy_memorized') is not None
        ]
        line = ax1.plot([d['epoch'] for d in dyn],
                        [100 * d['noisy_memorized'] for d in dyn],
                        marker='.',
                        label=r['name'])[0]
        hist = r['summary']['history']
        ax2.plot([h['epoch'] for h in hist], [h['value'] for h in hist],
                 marker='.',
                 color=line.get_color(),
                 label=f'{r["name"]} (last {r["summary"]["last"]:.1f})')
    ax1.set_title(
        'noisy training labels memorised\n(the model predicts the '
        'given, wrong label)',
        fontsize=9)
    ax1.set_ylabel('% of the noisy samples')
    ax2.set_title('clean test accuracy', fontsize=9)
    ax2.set_ylabel('%')
    for ax in (ax1, ax2):
        ax.set_xlabel('epoch')
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylim(0, 100)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    manifest = runs[0]['manifest']
    if manifest is not None:
        fig.suptitle(
            f'{manifest["generator"]} noise {manifest["params"]}: '
            f'{100 * manifest["realised_rate"]:.1f} % of the training '
            f'labels wrong; {same_noise(runs)}',
            fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def main(argv=None):
    p = argparse.ArgumentParser(
        description=' '.join(__doc__.split('\n\n')[0].split()))
    p.add_argument('work_dirs', nargs='+', metavar='WORK_DIR')
    p.add_argument(
        '--out-dir',
        help='folder of the figure (default: plots/ in the first work dir)')
    args = p.parse_args(argv)
    runs = [read_run(w) for w in args.work_dirs]
    names = [r['name'] for r in runs]
    for r, w in zip(runs, args.work_dirs):
        if names.count(r['name']) > 1:  # same basename: say which
            parts = osp.normpath(w).split(os.sep)
            r['name'] = '/'.join(parts[-2:])
    out_dir = args.out_dir or osp.join(args.work_dirs[0], 'plots')
    os.makedirs(out_dir, exist_ok=True)
    path = osp.join(
        out_dir, 'compare_' + '_vs_'.join(r['name'].replace('/', '-')
                                          for r in runs) + '.png')
    plot(runs, path)
    print(table(runs))
    print(same_noise(runs))
    print(f'figure: {path}')
    if 'WARNING' in same_noise(runs):
        sys.exit(1)


if __name__ == '__main__':
    main()
