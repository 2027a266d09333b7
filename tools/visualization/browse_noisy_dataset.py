# Copyright (c) lnl_mm contributors. All rights reserved.
"""A grid of random training samples of a config's noisy dataset, titled
with the given and the clean label; noisy samples are framed in red.

Example:
    python tools/visualization/browse_noisy_dataset.py \\
        configs/noisy_baseline/ce_smallcnn_1xb64-30e_digits-sym40.py \\
        --num 32 --noisy-only
    # -> work_dirs/ce_smallcnn_1xb64-30e_digits-sym40/plots/
    #    noisy_samples_32_noisy-only_seed0.png
"""
import argparse
import os
import os.path as osp

import numpy as np
from mmengine.config import Config, DictAction


def parse_args():
    p = argparse.ArgumentParser(
        description=' '.join(__doc__.split('\n\n')[0].split()))
    p.add_argument('config')
    p.add_argument(
        '--out-dir',
        help='folder of the PNG (default: work_dirs/<config name>/plots)')
    p.add_argument('--num', type=int, default=32, help='number of samples')
    p.add_argument('--cols', type=int, default=8, help='grid columns')
    p.add_argument('--seed', type=int, default=0, help='sampling seed')
    p.add_argument(
        '--noisy-only',
        action='store_true',
        help='draw only samples whose given label is wrong')
    p.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config settings, as in tools/train.py')
    return p.parse_args()


def main():
    args = parse_args()
    if args.num < 1:
        raise SystemExit(f'--num must be >= 1, got {args.num}')
    from mmengine.registry import init_default_scope
    from mmpretrain.registry import DATASETS

    import lnl_mm  # noqa: F401
    from lnl_mm.datasets.wrappers import find_noisy_dataset, info_image
    from lnl_mm.evaluation import plot_sample_grid
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    init_default_scope(cfg.get('default_scope', 'mmpretrain'))
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    noisy = find_noisy_dataset(dataset)
    if noisy is None:
        raise SystemExit('the training set is not a NoisyLabelDataset: there '
                         'are no clean labels to compare with')
    is_noisy = noisy.noisy_labels != noisy.clean_labels
    pool = np.flatnonzero(is_noisy) if args.noisy_only else \
        np.arange(len(noisy))
    rng = np.random.default_rng(args.seed)
    picks = np.sort(
        rng.choice(pool, size=min(args.num, pool.size), replace=False))
    classes = list(noisy.CLASSES or [])

    def name(c):
        if c < 0:
            return 'open-set'
        return str(classes[c]) if c < len(classes) else str(c)

    images, titles, flags = [], [], []
    for i in picks:
        info = noisy.get_data_info(int(i))
        images.append(info_image(info))
        given, clean = int(noisy.noisy_labels[i]), int(noisy.clean_labels[i])
        titles.append(f'#{i} given: {name(given)}' +
                      (f'\nclean: {name(clean)}' if given != clean else ''))
        flags.append(given != clean)
    out_dir = args.out_dir or osp.join(
        'work_dirs',
        osp.splitext(osp.basename(args.config))[0], 'plots')
    os.makedirs(out_dir, exist_ok=True)
    which = '_noisy-only' if args.noisy_only else ''
    out = osp.join(out_dir,
                   f'noisy_samples_{args.num}{which}_seed{args.seed}.png')
    plot_sample_grid(images, titles, flags, out, cols=args.cols)
    print(f'{len(picks)} samples, {sum(flags)} noisy (dataset: '
          f'{is_noisy.mean():.3f} noisy); wrote {out}')


if __name__ == '__main__':
    main()
