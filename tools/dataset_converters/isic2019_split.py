# Copyright (c) lnl_mm contributors. All rights reserved.
"""Cut the ISIC 2019 5,000 / 1,250 subset used by the reweighting seed.

The seed's ``split.py`` shuffles the ground truth, keeps 6,250 rows and
splits them 80/20. Its shuffle was unseeded, so the exact file cannot be
regenerated; this tool applies the same procedure with a seed, so that the
subset is reproducible, and writes two CSVs with the ground-truth header:

    ISIC_2019_Training_GroundTruth_sub5000_train.csv
    ISIC_2019_Training_GroundTruth_sub1250_test.csv

Example:
    python tools/dataset_converters/isic2019_split.py \
        data/isic2019/ISIC_2019_Training_GroundTruth.csv --seed 0
"""
import argparse
import csv
import os.path as osp
from collections import Counter

from lnl_mm.datasets.isic2019 import (ISIC2019_COLUMNS, read_isic_csv,
                                      split_isic_subset)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('ground_truth', help='ISIC_2019_Training_GroundTruth'
                        '.csv')
    parser.add_argument('--out-dir', help='defaults to the CSV folder')
    parser.add_argument('--num-train', type=int, default=5000)
    parser.add_argument('--num-test', type=int, default=1250)
    parser.add_argument('--seed', type=int, default=0)
    return parser.parse_args()


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


def main():
    args = parse_args()
    header, rows = read_isic_csv(args.ground_truth)
    train, test = split_isic_subset(rows, args.num_train, args.num_test,
                                    args.seed)
    out_dir = args.out_dir or osp.dirname(osp.abspath(args.ground_truth))
    stem = 'ISIC_2019_Training_GroundTruth'
    paths = (osp.join(out_dir, f'{stem}_sub{args.num_train}_train.csv'),
             osp.join(out_dir, f'{stem}_sub{args.num_test}_test.csv'))
    for path, part in zip(paths, (train, test)):
        write(path, header, part)
        print(f'{path}: {len(part)} images ({class_counts(part)})')


if __name__ == '__main__':
    main()
