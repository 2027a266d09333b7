# Copyright (c) lnl_mm contributors. All rights reserved.
"""Arguments shared by the training-dynamics tools."""
import argparse
import os
import os.path as osp


def parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument(
        'work_dir',
        nargs='?',
        help='training work dir (reads dynamics/epoch_*.npz)')
    p.add_argument(
        '--config',
        help='config (with --checkpoint; defaults to '
        'the one dumped in the work dir)')
    p.add_argument(
        '--checkpoint',
        help='analyse this checkpoint instead: '
        'epoch_N.pth, latest.pth or last_checkpoint')
    p.add_argument('--out', help='output PNG (default: <work_dir>/plots/...)')
    return p


def output_path(args, name: str) -> str:
    if args.out:
        path = args.out
    else:
        base = args.work_dir or osp.dirname(args.checkpoint)
        path = osp.join(base, 'plots', name)
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    return path


def records(args) -> dict:
    import lnl_mm  # noqa: F401  (registers components)
    from lnl_mm.engine.utils import load_records
    if args.work_dir is None and args.checkpoint is None:
        raise SystemExit('give a work dir or --checkpoint')
    return load_records(args.work_dir, args.config, args.checkpoint)
