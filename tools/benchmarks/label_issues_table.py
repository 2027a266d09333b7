# Copyright (c) lnl_mm contributors. All rights reserved.
"""The detection table of ``label_issues_grid.sh``, from its work dirs.

For every noise setting under ``WORK_ROOT``: CE on the noisy labels, then
each detector (AUM over the whole run, AUM over the first epochs, 3-fold
confident learning) with its ``label_issues.json`` (flagged, precision,
recall, AUROC, the wrong labels left after the fix, the right ones it
broke) and the accuracy of CE retrained on its fixed labels (last epoch and
best epoch, test-picked, on the clean test labels). A step that has not
run yet is a dash.

Example:
    python tools/benchmarks/label_issues_table.py work_dirs/detect_fashion
"""
import argparse
import json
import os.path as osp
from typing import Optional

#: What ``label_issues_grid.sh`` writes into a finished training's dir.
DONE = 'grid_done.json'

#: (directory, the detector's name in the table, its retraining's dir).
DETECTORS = (
    ('aum30', 'AUM, all 30 epochs, AUM < 0', None),
    ('aum', 'AUM, first 15 epochs, AUM < 0', 'retrain_aum'),
    ('cleanlab', 'cleanlab, 3 folds of 10 epochs', 'retrain_cleanlab'),
)


def _load(path: str) -> Optional[dict]:
    if not osp.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def _accuracy(run_dir: Optional[str], root: str) -> str:
    """``last (best)`` of a finished training, or a dash."""
    if run_dir is None:
        return 'not retrained'
    s = _load(osp.join(root, run_dir, 'summary.json'))
    # the grid marks a finished training (its summary is rewritten every
    # epoch)
    if s is None or not osp.exists(osp.join(root, run_dir, DONE)):
        return '—'
    return f'{s["last"]:.2f} (best {s["best"]:.2f})'


def table(root: str, noises) -> str:
    lines = [
        '| noise | method | flagged | precision | recall | AUROC | labels '
        'wrong after the fix | right labels broken | CE retrained: last '
        '(best, test-picked) |', '| --- | --- | --- | --- | --- | --- | --- '
        '| --- | --- |'
    ]
    for noise in noises:
        d = osp.join(root, noise)
        first = _load(osp.join(d, 'aum30', 'label_issues.json')) or {}
        wrong = first.get('wrong_before_rate')
        rate = f'{100 * wrong:.1f} %' if wrong is not None else '—'
        lines.append(f'| {noise} | CE on the noisy labels | — | — | — | — | '
                     f'{rate} | — | {_accuracy("ce", d)} |')
        for sub, name, retrain in DETECTORS:
            r = _load(osp.join(d, sub, 'label_issues.json'))
            if r is None:
                lines.append(f'| | {name} | — | — | — | — | — | — | — |')
                continue
            lines.append(
                f'| | {name} | {r["num_flagged"]} | {r["precision"]:.3f} | '
                f'{r["recall"]:.3f} | {r["auroc"]:.3f} | '
                f'{100 * r["wrong_after_rate"]:.1f} % | {r["broken"]} | '
                f'{_accuracy(retrain, d)} |')
    return '\n'.join(lines) + '\n'


def main():
    p = argparse.ArgumentParser(
        description=' '.join(__doc__.split('\n\n')[0].split()))
    p.add_argument('work_root')
    p.add_argument('--noise', nargs='+', default=['sym40', 'asym40'])
    p.add_argument('--out', help='write the markdown table here')
    args = p.parse_args()
    text = table(args.work_root, args.noise)
    print(text)
    if args.out:
        with open(args.out, 'w') as f:
            f.write(text)


if __name__ == '__main__':
    main()
