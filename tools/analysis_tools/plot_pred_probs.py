# Copyright (c) lnl_mm contributors. All rights reserved.
"""Distribution of the predicted probability of the given label, clean vs
noisy training samples, across epochs (or for one checkpoint).

Examples:
    python tools/analysis_tools/plot_pred_probs.py work_dirs/demo \\
        --epochs 1 10 30
    python tools/analysis_tools/plot_pred_probs.py work_dirs/demo/epoch_30.pth
"""
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from _common import parser, records, source  # noqa: E402


def main():
    p = parser(' '.join(__doc__.split('\n\n')[0].split()))
    p.add_argument(
        '--epochs',
        nargs='+',
        type=int,
        help='epochs to show (default: up to 8, evenly spaced)')
    args = p.parse_args()
    src = source(args)
    from lnl_mm.evaluation import plot_pred_probs
    recs = records(args, src)
    if args.epochs:
        missing = sorted(set(args.epochs) - set(recs))
        if missing:
            raise SystemExit(f'--epochs {missing} not recorded; recorded: '
                             f'{sorted(recs)}')
        recs = {e: recs[e] for e in args.epochs}
    elif len(recs) > 8:
        keys = list(recs)
        step = (len(keys) - 1) / 7
        recs = {
            keys[round(i * step)]: recs[keys[round(i * step)]]
            for i in range(8)
        }
    path = src.name('pred_probs')
    plot_pred_probs(recs, path)
    for epoch, rec in recs.items():
        if 'clean' in rec:
            noisy = rec['given'] != rec['clean']
            print(f'epoch {epoch}: mean p(given) clean '
                  f'{rec["prob_given"][~noisy].mean():.3f}, noisy '
                  f'{rec["prob_given"][noisy].mean():.3f}')
    print(f'wrote {path}')


if __name__ == '__main__':
    main()
