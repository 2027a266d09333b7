# Copyright (c) lnl_mm contributors. All rights reserved.
"""The benchmark table and figure, from the result files of the grid.

Reads ``RECORDS/<method>/<noise>/seed<k>.json`` (``benchmark_grid.py``) and
writes one markdown table: per method and noise setting the last-epoch
accuracy on the clean test labels, mean ± std over the seeds found, with
the mean of the last 5 epochs in brackets (a cell with fewer seeds than
asked says how many), the reference row (CE on clean labels), each
method's share of it at 80 % symmetric and 40 % asymmetric noise, and its
training epoch relative to CE's (``RECORDS/epoch_cost.json``, written by
``epoch_cost.py``, which times the methods side by side). The figure shows
the same last-epoch numbers.

Example:
    python tools/benchmarks/benchmark_table.py --out docs/benchmark.md \\
        --plot resources/benchmark/fashionmnist.png
"""
import argparse
import glob
import json
import os.path as osp
from typing import Dict, List, Optional, Set, Tuple

import numpy as np
from benchmark_methods import METHODS, NOISES, REFERENCE, SEEDS

RECORDS = osp.join('docs', 'results', 'benchmark')
TARGETS = {'sym80': 93.0, 'asym40': 97.0}  # % of clean-label CE
COST_FILE = 'epoch_cost.json'  # epoch_cost.py's result


def load(records: str) -> Dict[Tuple[str, str], List[dict]]:
    """``(method, noise) -> [record per seed]``, seeds in order."""
    out: Dict[Tuple[str, str], List[dict]] = {}
    for path in sorted(glob.glob(osp.join(records, '*', '*', 'seed*.json'))):
        method, noise = path.split(osp.sep)[-3:-1]
        with open(path) as f:
            out.setdefault((method, noise), []).append(json.load(f))
    return out


def stats(recs: List[dict], key: str) -> Optional[Tuple[float, float, int]]:
    if not recs:
        return None
    v = [r[key] for r in recs]
    return float(np.mean(v)), float(np.std(v)), len(v)


def cell(data, key, seeds: int) -> str:
    """``last ± std (mean of last 5)``, and the seed count when short."""
    recs = data.get(key, [])
    last, mean = stats(recs, 'last'), stats(recs, 'mean_last')
    if last is None:
        return '–'
    text = (f'{last[0]:.2f} ± {last[1]:.2f}'
            if last[2] > 1 else f'{last[0]:.2f}') + f' ({mean[0]:.2f})'
    return text if last[2] >= seeds else f'{text}, {last[2]} seed'


def cost_ratios(records: str) -> Dict[str, float]:
    """Each method's training epoch over CE's, from ``epoch_cost.py``'s
    ``RECORDS/epoch_cost.json`` (measured side by side; none: no column
    values)."""
    path = osp.join(records, COST_FILE)
    if not osp.exists(path):
        return {}
    with open(path) as f:
        methods = json.load(f)['methods']
    return {k: float(v['ratio']) for k, v in methods.items()}


def unsteady_costs(records: str) -> Set[str]:
    """The methods whose ``epoch_cost.py`` bracket was flagged unsteady
    (its two CE epochs differ by more than ``SPREAD_LIMIT``)."""
    path = osp.join(records, COST_FILE)
    if not osp.exists(path):
        return set()
    with open(path) as f:
        methods = json.load(f)['methods']
    return {k for k, v in methods.items() if v.get('unsteady')}


#: Marks an "epoch / CE" value whose CE bracket was unsteady.
UNSTEADY = '†'


def table(data,
          seeds: int,
          cost: Optional[Dict[str, float]] = None,
          unsteady: Optional[Set[str]] = None) -> str:
    """The markdown table; ``cost``: method -> epoch time over CE's;
    ``unsteady``: methods whose cost gets the :data:`UNSTEADY` mark."""
    cost = {'ce': 1.0, **(cost or {})}
    unsteady = unsteady or set()
    noises = list(NOISES)
    ref = stats(data.get(REFERENCE, []), 'last')
    head = ['method', 'group'] + noises + [f'{n} / clean CE'
                                           for n in TARGETS] + ['epoch / CE']
    lines = ['| ' + ' | '.join(head) + ' |', '|' + ' --- |' * len(head)]
    lines.append('| **CE on clean labels** (reference) | – | ' +
                 ' | '.join([f'clean: {cell(data, REFERENCE, seeds)}'] +
                            ['–'] * (len(noises) - 1)) +
                 ' | 100 % | 100 % | 1.00 |')
    for m in METHODS:
        if not measured(data, m.key):
            continue
        group = m.family
        if m.clean_data and 'clean' not in group:
            group += ', **clean data**'
        if m.views:
            group += ', *augmented views*'
        share = []
        for n in TARGETS:
            s = stats(data.get((m.key, n), []), 'last')
            share.append('–' if s is None or ref is None else
                         f'{100 * s[0] / ref[0]:.1f} %')
        c = cost.get(m.key)
        lines.append(
            f'| {m.key} | {group} | ' +
            ' | '.join([cell(data, (m.key, n), seeds)
                        for n in noises] + share) +
            (' | – |' if c is
             None else f' | {c:.2f}{UNSTEADY if m.key in unsteady else ""} |'))
    missing = not_run(data)
    if missing:  # every method is accounted for
        lines += ['', f'Not run yet (no cell): {", ".join(missing)}.']
    return '\n'.join(lines)


def measured(data, key: str) -> bool:
    """Whether method ``key`` has a result file in some noise setting."""
    return any(data.get((key, n)) for n in NOISES)


def not_run(data) -> List[str]:
    """The methods of the benchmark without a single result file."""
    return [m.key for m in METHODS if not measured(data, m.key)]


TITLE = ('Fashion-MNIST benchmark protocol (20,000 images, 30 epochs), '
         'mean ± std over seeds')


def plot(data, path: str, title: str = TITLE) -> None:
    """One panel per noise setting, one bar per method (last epoch, mean ±
    std over the seeds), the clean-label CE as a line."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    noises = list(NOISES)
    methods = [m for m in METHODS if measured(data, m.key)]
    ref = stats(data.get(REFERENCE, []), 'last')
    fig, axes = plt.subplots(
        1,
        len(noises),
        figsize=(3.2 * len(noises) + 1.6, 0.3 * len(methods) + 1.6),
        sharey=True,
        squeeze=False)
    y = np.arange(len(methods))
    colors = {True: 'tab:orange', False: 'tab:blue'}
    for ax, noise in zip(axes[0], noises):
        for yi, m in zip(y, methods):
            s = stats(data.get((m.key, noise), []), 'last')
            if s is None:
                ax.text(
                    1, yi, 'not run yet', va='center', fontsize=6, color='0.5')
                continue
            full = s[2] >= len(SEEDS)  # every seed of the cell is in
            ax.barh(
                yi,
                s[0],
                xerr=s[1],
                height=0.65,
                color=colors[m.clean_data],
                alpha=1.0 if full else 0.5)
            # white reads on a full bar, black on a faded (one-seed) one
            ax.text(
                1,
                yi,
                f'{s[0]:.1f}',
                va='center',
                fontsize=6,
                color='w' if full else 'k')
        if ref is not None:
            ax.axvline(ref[0], color='k', lw=0.8, ls='--')
        ax.set_title(noise, fontsize=10)
        ax.set_xlim(0, 100)
        ax.set_xlabel('clean test accuracy, last epoch (%)', fontsize=8)
        ax.grid(axis='x', alpha=0.3)
    axes[0][0].set_yticks(y, [m.key for m in methods], fontsize=7)
    axes[0][0].invert_yaxis()
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    handles = [
        Patch(color='tab:blue', label='noisy labels only'),
        Patch(color='tab:orange', label='uses 1,000 clean images'),
        Patch(color='tab:blue', alpha=0.5, label='one seed so far'),
        Line2D([0], [0],
               color='k',
               ls='--',
               lw=0.8,
               label='CE on clean labels'),
    ]
    fig.legend(
        handles=handles, loc='lower center', ncol=4, fontsize=7, frameon=False)
    fig.suptitle(title, fontsize=9)
    fig.tight_layout(rect=(0, 0.05, 1, 0.96))
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main():
    p = argparse.ArgumentParser(
        description=' '.join(__doc__.split('\n\n')[0].split()))
    p.add_argument('--records', default=RECORDS)
    p.add_argument('--seeds', type=int, default=len(SEEDS))
    p.add_argument('--out', help='write the markdown table here')
    p.add_argument('--plot', help='write the figure (PNG) here')
    p.add_argument('--title', default=TITLE, help='the figure\'s title')
    args = p.parse_args()
    data = load(args.records)
    if not data:
        raise SystemExit(f'{args.records}: no result files')
    text = table(data, args.seeds, cost_ratios(args.records),
                 unsteady_costs(args.records))
    print(text)
    if args.out:
        with open(args.out, 'w') as f:
            f.write(text + '\n')
    if args.plot:
        plot(data, args.plot, args.title)
        print(f'wrote {args.plot}')


if __name__ == '__main__':
    main()
