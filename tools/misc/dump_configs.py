# Copyright (c) lnl_mm contributors. All rights reserved.
"""Dump the merged text of every leaf config, one file each.

Run it before and after a change to the configs or to what they build, then
``diff -r BEFORE AFTER``: a refactoring that should change no result shows
which leaves it changed.

    python tools/misc/dump_configs.py OUT_DIR [--root configs]
"""
import argparse
import glob
import os
import os.path as osp

from mmengine.config import Config


def main():
    p = argparse.ArgumentParser(
        description=' '.join(__doc__.split('\n\n')[0].split()))
    p.add_argument('out_dir')
    p.add_argument('--root', default='configs')
    args = p.parse_args()
    leaves = sorted(
        f
        for f in glob.glob(osp.join(args.root, '**', '*.py'), recursive=True)
        if '_base_' not in f)
    for leaf in leaves:
        out = osp.join(args.out_dir, osp.relpath(leaf, args.root) + '.txt')
        os.makedirs(osp.dirname(out), exist_ok=True)
        with open(out, 'w') as f:
            f.write(Config.fromfile(leaf).pretty_text)
    print(f'{len(leaves)} leaves dumped to {args.out_dir}')


if __name__ == '__main__':
    main()
