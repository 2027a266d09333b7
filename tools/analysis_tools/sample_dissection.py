# Copyright (c) lnl_mm contributors. All rights reserved.
"""Per epoch, the share of noisy training samples that are memorised
(predict the given, wrong label), corrected (predict the clean label) or
neither, and of clean samples that are fit or not; a plot and a CSV.

Example:
    python tools/analysis_tools/sample_dissection.py work_dirs/demo
"""
import csv
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from _common import parser, records, source  # noqa: E402

KEYS = ('noisy_memorized', 'noisy_corrected', 'noisy_other', 'clean_fit',
        'clean_other')


def main():
    args = parser(' '.join(__doc__.split('\n\n')[0].split())).parse_args()
    src = source(args)
    from lnl_mm.evaluation import plot_sample_dissection, sample_dissection
    rows = [
        dict(epoch=e, **sample_dissection(r))
        for e, r in records(args, src).items()
    ]
    path = src.name('sample_dissection')
    plot_sample_dissection(rows, path)
    csv_path = osp.splitext(path)[0] + '.csv'
    with open(csv_path, 'w', newline='') as f:
        writer = csv.DictWriter(f, ['epoch', 'num_noisy', 'num_clean', *KEYS])
        writer.writeheader()
        writer.writerows(rows)
    print('epoch  ' + '  '.join(f'{k:>15}' for k in KEYS))
    for r in rows:
        print(f'{r["epoch"]:5d}  ' +
              '  '.join(f'{"-" if r[k] is None else f"{r[k]:.4f}":>15}'
                        for k in KEYS))
    print(f'wrote {path} and {csv_path}')


if __name__ == '__main__':
    main()
