# Copyright (c) lnl_mm contributors. All rights reserved.
"""Speed of the noise generators and of the NoisyLabelDataset wrapper.

Prints, measured side by side in one run:

1. symmetric noise on 10^6 labels (goal <= 1 s);
2. instance-dependent noise on 50,000 x 3,072 features (goal <= 10 s);
3. the time to iterate NoisyLabelDataset relative to the raw dataset, both
   with the same pipeline (goal <= 1.05), on digits (1,347 8x8 images: the
   pipeline is almost free, so this is the worst case for the wrapper's
   fixed per-item cost). Three pipelines: ``PackInputs`` (the wrapper's own
   overhead), ``PackNoisyInputs`` (plus packing ``clean_label`` and
   ``is_noisy`` into every sample) and a CIFAR-style augmentation
   (``RandomCrop`` + ``RandomFlip`` + ``PackNoisyInputs``).

Example:
    python tools/benchmarks/noise_bench.py --repeats 5
"""
import argparse
import time

import numpy as np

import lnl_mm  # noqa: F401
from lnl_mm.datasets import NoisyLabelDataset, SklearnDigits
from lnl_mm.datasets.noise import make_noisy_labels


def best_of(fn, repeats):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def iterate(dataset, passes):
    for _ in range(passes):
        for i in range(len(dataset)):
            dataset[i]


def main():
    parser = argparse.ArgumentParser(
        description=' '.join(__doc__.split('\n\n')[0].split()))
    parser.add_argument('--repeats', type=int, default=5)
    parser.add_argument(
        '--passes',
        type=int,
        default=3,
        help='passes over the dataset per timing')
    args = parser.parse_args()
    rng = np.random.default_rng(0)

    labels = rng.integers(0, 10, 10**6)
    t_sym = best_of(
        lambda: make_noisy_labels(labels, 10, dict(type='symmetric', rate=0.4),
                                  0), args.repeats)

    feats = rng.integers(0, 256, (50000, 3072), dtype=np.uint8)
    y = rng.integers(0, 10, 50000)
    t_inst = best_of(
        lambda: make_noisy_labels(
            y, 10, dict(type='instance', rate=0.4), 0, features=feats),
        max(1, args.repeats // 2))

    pipelines = {
        'PackInputs': [dict(type='PackInputs')],
        'PackNoisyInputs': [dict(type='PackNoisyInputs')],
        'RandomCrop+RandomFlip+PackNoisyInputs': [
            dict(type='RandomCrop', crop_size=8, padding=1),
            dict(type='RandomFlip', prob=0.5, direction='horizontal'),
            dict(type='PackNoisyInputs')
        ],
    }
    rows = []
    for name, pipeline in pipelines.items():
        raw = SklearnDigits(split='train', pipeline=pipeline)
        noisy = NoisyLabelDataset(
            SklearnDigits(split='train', pipeline=pipeline),
            noise=dict(type='symmetric', rate=0.4))
        # interleave the two so that machine noise hits both alike
        t_raw, t_noisy = [], []
        for _ in range(args.repeats):
            t_raw.append(best_of(lambda: iterate(raw, args.passes), 1))
            t_noisy.append(best_of(lambda: iterate(noisy, args.passes), 1))
        rows.append((name, len(raw), min(t_noisy), min(t_raw)))

    print('| measurement | value | goal |')
    print('| --- | --- | --- |')
    print(f'| symmetric noise, 10^6 labels | {t_sym:.3f} s | <= 1 s |')
    print(f'| instance noise, 50,000 x 3,072 features | {t_inst:.2f} s | '
          '<= 10 s |')
    for name, n, t_noisy, t_raw in rows:
        print(f'| iterate NoisyLabelDataset / raw dataset, {name} ({n} items '
              f'x {args.passes}) | {t_noisy / t_raw:.3f} ({t_noisy:.3f} s / '
              f'{t_raw:.3f} s) | <= 1.05 |')


if __name__ == '__main__':
    main()
