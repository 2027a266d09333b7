# Copyright (c) lnl_mm contributors. All rights reserved.
"""Print the robust-loss presets as a markdown table (one row per loss).

Example:
    python tools/misc/print_loss_presets.py --source alfs_code
    python tools/misc/print_loss_presets.py --source apl_code --noise asym
"""
import argparse

from lnl_mm.models.losses import LOSS_TYPES, loss_preset
from lnl_mm.models.losses.presets import SOURCES


def fmt(cfg: dict) -> str:
    args = ', '.join(f'{k}={v:g}' if isinstance(v, float) else f'{k}={v}'
                     for k, v in cfg.items() if k != 'type')
    return f'`{cfg["type"]}` {args}'.strip()


def main():
    parser = argparse.ArgumentParser(
        description=' '.join(__doc__.split('\n\n')[0].split()))
    parser.add_argument('--source', choices=SOURCES, default='alfs_code')
    parser.add_argument('--noise', choices=('sym', 'asym'), default='sym')
    args = parser.parse_args()
    datasets = (('cifar10', 'cifar100', 'webvision',
                 'clothing1m') if args.source == 'paper' else
                ('mnist', 'cifar10', 'cifar100'))
    print(f'| loss | {" | ".join(datasets)} |')
    print('|---' * (len(datasets) + 1) + '|')
    for loss in LOSS_TYPES:
        cells = []
        for dataset in datasets:
            try:
                cfg, prov = loss_preset(loss, dataset, args.source, args.noise)
            except KeyError:
                cells.append('—')
                continue
            note = '' if prov.startswith(args.source) else ' (from alfs_code)'
            if 'instantiates' in prov:
                note = ' (file instantiates this class)'
            cells.append(fmt(cfg) + note)
        print(f'| {loss} | {" | ".join(cells)} |')


if __name__ == '__main__':
    main()
