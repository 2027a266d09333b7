# Copyright (c) lnl_mm contributors. All rights reserved.
"""Cut the ISIC 2019 subsets of the reweighting seed: train, test, meta.

The seed's ``split.py`` shuffles the ground truth, keeps 6,250 rows and
splits them 80/20. Its shuffle was unseeded, so the exact file cannot be
regenerated; this tool applies the same procedure with a seed, so that the
subset is reproducible, and writes CSVs with the ground-truth header:

    ISIC_2019_Training_GroundTruth_sub5000_train.csv
    ISIC_2019_Training_GroundTruth_sub1250_test.csv
    ISIC_2019_Training_GroundTruth_meta125.csv        (--meta-size 125)
    ISIC_2019_Training_GroundTruth_sub5000_train_noisy0.4.csv
                                                      (--export-noise 0.4)

* The clean meta set is drawn from the rows outside the subset, so it
  overlaps neither split. ``--meta-balanced`` orders it round-robin over the
  classes, so that its first rows (the "clean 5" meta batch: the first 5
  rows, fixed for the whole run) hold different classes; otherwise it is a
  random draw. The seed's hand-picked 125-image file
  (``ISIC_2019_Training_GroundTruth_clean.csv``) can be checked instead with
  ``--meta-csv``: the tool reports its overlap with both splits and warns
  when it overlaps the test split (the seed's file shares 6 images with
  its test set).
* The noise is injected at load time by ``NoisyLabelDataset(noise=dict(
  type='symmetric_global', rate=...), seed=...)``: exactly ``int(N * rate)``
  rows, each moved to another class uniformly, as the seed's
  ``noisy_label.py``. With the 8 training classes it never lands on the
  empty ``UNK`` class; ``--include-unk`` (and ``ISIC2019(include_unk=True)``)
  allows it, as the seed did. ``--export-noise`` writes the same noisy labels
  (same generator and seed) as a ground-truth-format CSV, to inspect or to
  train on directly.

* ``--like FILE [FILE ...]`` reproduces the seed's own files exactly from
  the official ground truth instead of drawing a split: for each of the
  seed's header-less files (its splits, its hand-picked clean set, its
  ``marked*`` noisy files) it writes the same images in the same order with
  the ground-truth header and the official labels, and reports the rows
  whose label in the seed's file differs from the official one (the
  injected noise, UNK flips included). The seed's files can also be used
  as they are (``ISIC2019`` and ``from_file`` read them).

Example:
    python tools/dataset_converters/isic2019_split.py \
        data/isic2019/ISIC_2019_Training_GroundTruth.csv --seed 0 \
        --meta-size 125 --meta-balanced
    python tools/dataset_converters/isic2019_split.py \
        data/isic2019/ISIC_2019_Training_GroundTruth.csv --like \
        seed/ISIC_2019_Training_GroundTruth_sub1250_test.csv \
        seed/ISIC_2019_Training_GroundTruth_clean.csv
"""
import argparse
import csv
import os.path as osp
from collections import Counter

import numpy as np

from lnl_mm.datasets.isic2019 import (ISIC2019_COLUMNS, read_isic_csv,
                                      read_isic_rows, split_isic_subset)
from lnl_mm.datasets.noise import make_noisy_labels


def parse_args():
    parser = argparse.ArgumentParser(
        description=' '.join(__doc__.split('\n\n')[0].split()))
    parser.add_argument(
        'ground_truth', help='ISIC_2019_Training_GroundTruth'
        '.csv')
    parser.add_argument('--out-dir', help='defaults to the CSV folder')
    parser.add_argument('--num-train', type=int, default=5000)
    parser.add_argument('--num-test', type=int, default=1250)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument(
        '--meta-size',
        type=int,
        default=0,
        help='clean meta images drawn outside the subset '
        '(125 in the seed; 0: none)')
    parser.add_argument(
        '--meta-balanced',
        action='store_true',
        help='order the meta set round-robin over classes')
    parser.add_argument(
        '--meta-csv',
        help='check an existing clean meta '
        'CSV for overlaps with the splits')
    parser.add_argument(
        '--export-noise',
        type=float,
        nargs='*',
        default=[],
        help='write the training split with this much '
        'symmetric_global noise (e.g. 0.2 0.4)')
    parser.add_argument(
        '--noise-seed',
        type=int,
        default=0,
        help='seed of --export-noise (the config\'s '
        'train_dataloader.dataset.seed)')
    parser.add_argument(
        '--like',
        nargs='+',
        default=[],
        help="the seed's files to reproduce from the ground truth (same "
        'images, same order, official labels); no split is drawn')
    parser.add_argument(
        '--include-unk',
        action='store_true',
        help='9 classes: noise may land on UNK')
    return parser.parse_args()


def label_of(row) -> int:
    return int(np.argmax([float(v) for v in row[1:]]))


def meta_rows(rest, size, balanced, seed):
    """``size`` rows of ``rest``, random or round-robin over classes."""
    if size > len(rest):
        raise SystemExit(f'--meta-size {size} exceeds the {len(rest)} rows '
                         'outside the subset')
    rng = np.random.default_rng(seed + 1)
    order = [rest[i] for i in rng.permutation(len(rest))]
    if not balanced:
        return order[:size]
    queues = {}
    for row in order:
        queues.setdefault(label_of(row), []).append(row)
    picked = []
    while len(picked) < size:
        for c in sorted(queues):
            if queues[c] and len(picked) < size:
                picked.append(queues[c].pop(0))
    return picked


def check_overlap(meta, train, test, name):
    """Report shared images; warn when the meta set touches the test set."""
    ids = {r[0] for r in meta}
    in_train = ids & {r[0] for r in train}
    in_test = ids & {r[0] for r in test}
    print(f'{name}: {len(ids)} images, {len(in_train)} also in the '
          f'training split, {len(in_test)} in the test split')
    if in_test:
        print(f'WARNING: {len(in_test)} meta images are in the test split '
              f'({", ".join(sorted(in_test)[:5])}...): the test accuracy is '
              'not clean of the meta set')
    return in_train, in_test


def noisy_rows(rows, rate, seed, num_classes):
    labels = np.array([label_of(r) for r in rows])
    noisy = make_noisy_labels(labels, num_classes,
                              dict(type='symmetric_global', rate=rate), seed)
    out = []
    for row, y in zip(rows, noisy):
        onehot = ['0.0'] * len(ISIC2019_COLUMNS)
        onehot[int(y)] = '1.0'
        out.append([row[0], *onehot])
    return out, int((noisy != labels).sum())


def write(path, header, rows):
    with open(path, 'w', newline='') as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)


def class_counts(rows):
    counts = Counter(
        ISIC2019_COLUMNS[max(range(9), key=lambda i: float(r[1 + i]))]
        for r in rows)
    return ', '.join(f'{c} {counts.get(c, 0)}' for c in ISIC2019_COLUMNS)


def reproduce(args, header, rows, out_dir):
    """``--like``: each seed file's images in its order, official labels."""
    official = {r[0]: r for r in rows}
    for path in args.like:
        _, seed_rows = read_isic_rows(path)
        missing = [r.image for r in seed_rows if r.image not in official]
        if missing:
            raise SystemExit(f'{path}: {len(missing)} images are not in the '
                             f'ground truth ({", ".join(missing[:3])}...)')
        out = [official[r.image] for r in seed_rows]
        target = osp.join(out_dir, osp.basename(path))
        if osp.abspath(target) == osp.abspath(path):
            raise SystemExit(f'--out-dir would overwrite {path}')
        write(target, header, out)
        differ = [(r, label_of(o)) for r, o in zip(seed_rows, out)
                  if int(np.argmax(r.onehot)) != label_of(o)]
        to_unk = sum(int(np.argmax(r.onehot)) == 8 for r, _ in differ)
        marked = sum(bool(r.marks and r.marks[0]) for r in seed_rows)
        print(f'{target}: {len(out)} images ({class_counts(out)}); '
              f'{len(differ)} labels in {osp.basename(path)} differ from '
              f'the ground truth ({to_unk} of them UNK)' +
              (f', {marked} rows marked noisy' if marked else ''))


def main():
    args = parse_args()
    header, rows = read_isic_csv(args.ground_truth)
    if args.like:
        out_dir = args.out_dir or osp.dirname(osp.abspath(args.ground_truth))
        reproduce(args, header, rows, out_dir)
        return
    train, test = split_isic_subset(rows, args.num_train, args.num_test,
                                    args.seed)
    out_dir = args.out_dir or osp.dirname(osp.abspath(args.ground_truth))
    stem = 'ISIC_2019_Training_GroundTruth'
    paths = (osp.join(out_dir, f'{stem}_sub{args.num_train}_train.csv'),
             osp.join(out_dir, f'{stem}_sub{args.num_test}_test.csv'))
    for path, part in zip(paths, (train, test)):
        write(path, header, part)
        print(f'{path}: {len(part)} images ({class_counts(part)})')
    if args.meta_size:
        used = {r[0] for r in train} | {r[0] for r in test}
        rest = [r for r in rows if r[0] not in used]
        meta = meta_rows(rest, args.meta_size, args.meta_balanced, args.seed)
        path = osp.join(out_dir, f'{stem}_meta{args.meta_size}.csv')
        write(path, header, meta)
        print(f'{path}: {len(meta)} images ({class_counts(meta)}); first 5: ' +
              ', '.join(ISIC2019_COLUMNS[label_of(r)] for r in meta[:5]))
        check_overlap(meta, train, test, path)
    if args.meta_csv:
        check_overlap(
            read_isic_csv(args.meta_csv)[1], train, test, args.meta_csv)
    num_classes = 9 if args.include_unk else 8
    for rate in args.export_noise:
        if any(label_of(r) == 8 for r in train) and num_classes == 8:
            raise SystemExit('the training split has UNK rows: use '
                             '--include-unk')
        noisy, flipped = noisy_rows(train, rate, args.noise_seed, num_classes)
        path = osp.join(out_dir,
                        f'{stem}_sub{args.num_train}_train_noisy{rate}.csv')
        write(path, header, noisy)
        print(f'{path}: {flipped} of {len(train)} labels changed')


if __name__ == '__main__':
    main()
