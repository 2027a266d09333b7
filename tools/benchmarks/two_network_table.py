# Copyright (c) lnl_mm contributors. All rights reserved.
"""The results table and figure of the two-network grid (and of the
per-sample regularisers and loss correction on the same protocol), from a
grid's work dirs.

Reads what ``tools/benchmarks/two_network_grid.sh`` wrote under
``WORK_ROOT``: each run's ``summary.json`` (last epoch, mean of the last 5,
best epoch picked on the test labels), its last validation line (net2 and
the ensembles of ``TwoNetworkAccuracy``) and DivideMix's ``division.json``
(the labelled set of the last epoch against the clean labels). Mean ± std
over the seeds; the share of the clean-label CE accuracy (a ``clean`` run
of the CE config) beside the last epoch.

With ``--records DIR`` every finished run is also written to ``DIR`` as one
small JSON file (``<config>/<noise>/seed<k>.json``) and the table is built
from all the records there: committed, they keep the table reproducible
after the work dirs are gone, and runs of several sittings add up.

Example:
    python tools/benchmarks/two_network_table.py work_dirs/grid_two_network \\
        --noise sym80 --records docs/results/two_network \\
        --out table.md --plot figure.png
"""
import argparse
import glob
import json
import os
import os.path as osp

import numpy as np

METHODS = (
    ('ce_cnn4', 'CE'),
    ('coteaching_cnn4', 'Co-teaching'),
    ('coteaching-plus_cnn4', 'Co-teaching+'),
    ('jocor_cnn4', 'JoCoR'),
    ('dividemix_cnn4', 'DivideMix'),
    ('elr-plus_cnn4', 'ELR+'),
    ('elr_cnn4', 'ELR'),
    ('sop_cnn4', 'SOP'),
    ('forward-correction_cnn4', 'forward correction, estimated T'),
    ('backward-correction_cnn4', 'backward correction, estimated T'),
    ('forward-correction-oracle_cnn4',
     'forward correction, oracle T (a reference)'),
)


def scalar_rows(run: str) -> list:
    """Every logged scalar row of a run, over all its sessions (a resumed
    run logs to a new folder), in order."""
    paths = sorted(glob.glob(osp.join(run, '*', 'vis_data', 'scalars.json')))
    rows = []
    for path in paths:
        with open(path) as f:
            rows += [json.loads(line) for line in f if line.strip()]
    return rows


def _last_scalars(run: str) -> dict:
    vals = [r for r in scalar_rows(run) if 'accuracy/top1' in r]
    return vals[-1] if vals else {}


def _runs(root: str, prefix: str, noise: str):
    return sorted(
        d for d in glob.glob(osp.join(root, f'{prefix}_*', noise, 'seed*'))
        if osp.isdir(d) and osp.exists(osp.join(d, 'grid_done.json')))


#: Per-sample selections the two-network classifiers record (JoCoR's joint
#: one; Co-teaching's and Co-teaching+'s one per network) -> record suffix.
SELECTIONS = {'selected': '', 'selected1': '_net1', 'selected2': '_net2'}


def selection_values(entry: dict) -> dict:
    """What a sample-selection method trained on in one epoch, from its
    ``meta_diagnostics.json`` entry (the share of the clean and of the
    noisy samples selected): the selection's size per epoch, its
    precision (share of clean labels in it) and its recall of the clean
    samples."""
    out = {}
    n_clean, n_noisy = entry.get('n_clean'), entry.get('n_noisy')
    if not n_clean or n_noisy is None:
        return out
    for name, suffix in SELECTIONS.items():
        if f'{name}_clean_mean' not in entry:
            continue
        clean = entry[f'{name}_clean_mean'] * n_clean
        # no noisy sample visited (clean labels): none of them selected
        noisy = entry.get(f'{name}_noisy_mean', 0.0) * n_noisy
        size = clean + noisy
        out[f'selection_size{suffix}'] = round(size, 1)
        # an empty selection has no precision (None, left out of means)
        out[f'selection_precision{suffix}'] = clean / size if size else None
        out[f'selection_recall{suffix}'] = clean / n_clean
    return out


def run_values(run: str) -> dict:
    """The numbers of one finished run: its summary, the last validation
    line's net2 and ensembles, DivideMix's last division, a sample
    selection's last epoch (:func:`selection_values`)."""
    with open(osp.join(run, 'summary.json')) as f:
        s = json.load(f)
    v = dict(last=s['last'], mean_last=s['mean_last_k'], best=s['best'])
    last = _last_scalars(run)
    for key in ('net2', 'mean_prob', 'logit_sum'):
        if f'two_network/{key}' in last:
            v[key] = last[f'two_network/{key}']
    division = osp.join(run, 'division.json')
    if osp.exists(division):
        with open(division) as f:
            d = json.load(f)[-1]
        for net in ('net1', 'net2'):
            for key in ('precision', 'recall', 'labeled'):
                v[f'{key}_{net}'] = d[net][key]
    diagnostics = osp.join(run, 'meta_diagnostics.json')
    if osp.exists(diagnostics):
        with open(diagnostics) as f:
            entries = json.load(f)
        if entries:
            v.update(selection_values(entries[-1]))
    return v


def save_records(root: str, noise: str, records: str) -> int:
    """Write every finished run of ``root`` at ``noise`` as
    ``records/<config>/<noise>/seed<k>.json``: small files to commit, so
    that the table outlives the (ignored) work dirs. Returns the count."""
    count = 0
    for prefix, _ in METHODS:
        for run in _runs(root, prefix, noise):
            seed_dir = osp.relpath(run, root)  # <config>/<noise>/seed<k>
            path = osp.join(records, seed_dir + '.json')
            os.makedirs(osp.dirname(path), exist_ok=True)
            with open(path, 'w') as f:
                json.dump(run_values(run), f, indent=1, sort_keys=True)
                f.write('\n')
            count += 1
    return count


def collect(root: str, noise: str, records: str = None) -> list:
    """One row per method with its per-seed values: from the records
    (``save_records``) when given, else from the work dirs of ``root``."""
    rows = []
    for prefix, name in METHODS:
        if records:
            paths = sorted(
                glob.glob(
                    osp.join(records, f'{prefix}_*', noise, 'seed*.json')))
            per_run = []
            for path in paths:
                with open(path) as f:
                    per_run.append(json.load(f))
        else:
            per_run = [run_values(run) for run in _runs(root, prefix, noise)]
        if not per_run:
            continue
        row = dict(method=name, seeds=len(per_run), values={})
        for v in per_run:
            for key, value in v.items():
                row['values'].setdefault(key, []).append(value)
        rows.append(row)
    return rows


def fmt(values, digits=2):
    if not values:
        return '—'
    return f'{np.mean(values):.{digits}f} ± {np.std(values):.{digits}f}'


def table(rows: list, clean: float = None) -> str:
    lines = [
        '| method | last epoch | % of clean CE | mean of last 5 | best epoch '
        '(test-picked) | net2 / ensemble (last) | labelled set: precision / '
        'recall (last, net1 division) | seeds |',
        '| --- | --- | --- | --- | --- | --- | --- | --- |'
    ]
    for r in rows:
        v = r['values']
        share = f'{100 * np.mean(v["last"]) / clean:.1f} %' if clean else '—'
        ens = '—'
        if 'net2' in v:
            ens = f'{np.mean(v["net2"]):.2f} / {np.mean(v["mean_prob"]):.2f}'
        div = '—'
        if 'precision_net1' in v:
            div = (f'{np.mean(v["precision_net1"]):.1f} / '
                   f'{np.mean(v["recall_net1"]):.1f} % of '
                   f'{np.mean(v["labeled_net1"]):.0f}')
        lines.append(f'| {r["method"]} | {fmt(v["last"])} | {share} | '
                     f'{fmt(v["mean_last"])} | {fmt(v["best"])} | {ens} | '
                     f'{div} | {r["seeds"]} |')
    return '\n'.join(lines) + '\n'


def plot(rows: list, clean: float, title: str, path: str) -> None:
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(7.5, 0.55 * len(rows) + 2.4))
    names = [r['method'] for r in rows][::-1]
    for i, r in enumerate(rows[::-1]):
        v = r['values']
        ax.barh(
            i,
            np.mean(v['last']),
            xerr=np.std(v['last']),
            color='tab:blue',
            alpha=0.8,
            label='last epoch (mean ± std over seeds)' if i == 0 else None)
        ax.plot(
            np.mean(v['best']),
            i,
            'k|',
            ms=14,
            label='best epoch (test-picked)' if i == 0 else None)
        # the value inside the bar's end: clear of the reference lines
        ax.text(
            np.mean(v['last']) - 1.0,
            i,
            f'{np.mean(v["last"]):.1f}',
            va='center',
            ha='right',
            color='w',
            fontsize=8)
    if clean:
        ax.axvline(
            clean,
            color='tab:green',
            ls='--',
            label=f'CE on clean labels ({clean:.1f})')
        ax.axvline(
            0.93 * clean,
            color='tab:red',
            ls=':',
            label=f'93 % of it ({0.93 * clean:.1f})')
    ax.set_yticks(range(len(names)), names)
    ax.set_xlabel('clean test accuracy (%)')
    ax.set_xlim(0, 100)
    ax.set_title(title, fontsize=10)
    ax.legend(
        fontsize=7, loc='upper center', bbox_to_anchor=(0.5, -0.16), ncol=2)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main():
    p = argparse.ArgumentParser(
        description=' '.join(__doc__.split('\n\n')[0].split()))
    p.add_argument('work_root')
    p.add_argument('--noise', default='sym80')
    p.add_argument(
        '--records',
        help='copy every finished run into this folder of small JSON files '
        '(one per run, to commit) and build the table from all of them')
    p.add_argument(
        '--clean',
        type=float,
        help='the clean-label CE accuracy, when no clean run or record is '
        'at hand (said so under the table)')
    p.add_argument('--out', help='write the markdown table here')
    p.add_argument('--plot', help='write the figure (PNG) here')
    p.add_argument('--title', default='')
    args = p.parse_args()
    if args.records:
        for noise in (args.noise, 'clean'):
            n = save_records(args.work_root, noise, args.records)
            print(f'{n} finished {noise} runs recorded in {args.records}')
    rows = collect(args.work_root, args.noise, args.records)
    if not rows:
        raise SystemExit(f'no finished {args.noise} run under '
                         f'{args.records or args.work_root}')
    clean_runs = collect(args.work_root, 'clean', args.records)
    clean = args.clean
    if clean_runs:
        clean = float(np.mean(clean_runs[0]['values']['last']))
    text = table(rows, clean)
    if clean_runs:
        text += (
            f'\nCE on clean labels: {fmt(clean_runs[0]["values"]["last"])}'
            f' (last epoch, {clean_runs[0]["seeds"]} seeds).\n')
    elif clean:
        text += f'\nCE on clean labels: {clean:.2f} (given, --clean).\n'
    print(text)
    if args.out:
        with open(args.out, 'w') as f:
            f.write(text)
    if args.plot:
        plot(rows, clean, args.title or args.noise, args.plot)


if __name__ == '__main__':
    main()
