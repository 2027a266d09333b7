# Copyright (c) lnl_mm contributors. All rights reserved.
"""Plot what sample-selection runs trained on, epoch by epoch.

For each run (a work dir of Co-teaching, Co-teaching+ or JoCoR with its
``meta_diagnostics.json``), the share of correct labels in the epoch's
selection (precision) and the share of the correctly labelled images it
kept (recall), from :func:`two_network_table.selection_values`; network 1
for the methods that select per network.

Example:
    python tools/benchmarks/selection_plot.py \\
        jocor=work_dirs/rerun/jocor/sym80/seed0 \\
        co-teaching=work_dirs/benchmark/coteaching/sym80/seed1 \\
        --out resources/benchmark/selection_sym80.png
"""
import argparse
import json
import os.path as osp
from typing import Dict, List

from two_network_table import selection_values


def curves(run: str) -> Dict[str, List[float]]:
    """Epochs, precision and recall (in %) of one run's selection."""
    path = osp.join(run, 'meta_diagnostics.json')
    if not osp.exists(path):
        raise SystemExit(f'{run}: no meta_diagnostics.json (a sample-'
                         'selection run with MetaDiagnosticsHook)')
    with open(path) as f:
        entries = json.load(f)
    out: Dict[str, List[float]] = dict(epoch=[], precision=[], recall=[])
    for entry in entries:
        v = selection_values(entry)
        suffix = '' if 'selection_precision' in v else '_net1'
        if f'selection_precision{suffix}' not in v:
            continue
        precision = v[f'selection_precision{suffix}']
        out['epoch'].append(entry['epoch'])
        out['precision'].append(
            float('nan') if precision is None else 100 * precision)
        out['recall'].append(100 * v[f'selection_recall{suffix}'])
    if not out['epoch']:
        raise SystemExit(f'{run}: its records hold no sample selection')
    return out


def plot(runs: Dict[str, str], path: str, title: str) -> None:
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.8), sharex=True)
    for name, run in runs.items():
        c = curves(run)
        for ax, key in zip(axes, ('precision', 'recall')):
            ax.plot(c['epoch'], c[key], marker='.', label=name)
    axes[0].set_title('correct labels in the selection (precision)')
    axes[1].set_title('correctly labelled images selected (recall)')
    for ax in axes:
        ax.set_xlabel('epoch')
        ax.set_ylabel('%')
        ax.set_ylim(0, 100)
        ax.grid(alpha=0.3)
        ax.legend(loc='lower right')
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main():
    p = argparse.ArgumentParser(
        description=' '.join(__doc__.split('\n\n')[0].split()))
    p.add_argument(
        'runs', nargs='+', metavar='NAME=WORK_DIR', help='runs to plot')
    p.add_argument('--out', required=True, help='the figure (PNG)')
    p.add_argument(
        '--title',
        default='What sample selection trains on (Fashion-MNIST benchmark '
        'protocol, 80 % symmetric noise)')
    args = p.parse_args()
    runs = {}
    for item in args.runs:
        name, sep, run = item.partition('=')
        if not sep or not name or not run:
            raise SystemExit(f'{item!r}: give NAME=WORK_DIR')
        runs[name] = run
    plot(runs, args.out, args.title)
    print(f'wrote {args.out}')


if __name__ == '__main__':
    main()
