# Copyright (c) lnl_mm contributors. All rights reserved.
"""Per-channel mean and std of a config's training images.

re-sln normalises Animal-10N with the statistics of its own training images,
computed at run time (``data.py``, ``get_normalization_params``: the mean
and the std over every pixel of every raw training image, per channel).
A config needs the numbers; this tool computes them from your copy of the
data, the same way, and prints the ``--cfg-options`` that set them:

    python tools/dataset_converters/dataset_stats.py \\
        configs/sln/sln_wrn28-2_1xb128-300e_animal10n.py

Images are read as stored (RGB, 0-255, before any pipeline transform);
sums are accumulated in float64, so the result does not depend on the
order or the number of images.
"""
import argparse
import json

import numpy as np
from mmengine.config import Config, DictAction
from mmpretrain.registry import DATASETS

import lnl_mm  # noqa: F401  (registration)
from lnl_mm.utils.launch import hooks_by_name


def parse_args():
    p = argparse.ArgumentParser(
        description=' '.join(__doc__.split('\n\n')[0].split()))
    p.add_argument('config', help='a config with a train_dataloader')
    p.add_argument(
        '--split',
        default='train',
        choices=('train', 'val', 'test'),
        help='which dataloader (default: train)')
    p.add_argument('--json', help='also write the result to this file')
    p.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings, key=value')
    return p.parse_args()


def _raw_image(dataset, idx: int) -> np.ndarray:
    info = dataset.get_data_info(idx)
    if info.get('img') is not None:
        img = np.asarray(info['img'])
    elif info.get('img_path'):
        import mmcv
        img = mmcv.imread(info['img_path'], channel_order='rgb')
        if img is None:
            raise SystemExit(f'cannot read {info["img_path"]}')
    else:
        raise SystemExit(f'{type(dataset).__name__}: sample {idx} has '
                         'neither an img nor an img_path')
    return img[..., None] if img.ndim == 2 else img


def channel_stats(dataset) -> dict:
    """Mean and std per channel over every pixel of every image (0-255)."""
    total = sq = None
    count = 0
    for idx in range(len(dataset)):
        img = _raw_image(dataset, idx).astype(np.float64)
        pixels = img.reshape(-1, img.shape[-1])
        if total is None:
            total = np.zeros(pixels.shape[1])
            sq = np.zeros(pixels.shape[1])
        elif pixels.shape[1] != total.size:
            raise SystemExit(f'sample {idx} has {pixels.shape[1]} channels, '
                             f'the first had {total.size}')
        total += pixels.sum(axis=0)
        sq += (pixels**2).sum(axis=0)
        count += pixels.shape[0]
    if not count:
        raise SystemExit('the dataset is empty')
    mean = total / count
    std = np.sqrt(np.maximum(sq / count - mean**2, 0.0))
    return dict(
        mean=[round(float(v), 4) for v in mean],
        std=[round(float(v), 4) for v in std],
        images=len(dataset),
        pixels_per_channel=int(count))


def main():
    args = parse_args()
    cfg = Config.fromfile(args.config)
    if args.cfg_options is not None:
        cfg.merge_from_dict(hooks_by_name(cfg, args.cfg_options))
    loader = cfg.get(f'{args.split}_dataloader')
    if not loader:
        raise SystemExit(f'{args.config} has no {args.split}_dataloader')
    dataset_cfg = dict(loader['dataset'])
    dataset_cfg['pipeline'] = []  # the raw images, not the transforms
    dataset = DATASETS.build(dataset_cfg)
    stats = channel_stats(dataset)
    print(f'{stats["images"]} images ({args.split}): mean {stats["mean"]}, '
          f'std {stats["std"]} (0-255, per channel)')
    # the configs' top-level data_preprocessor (RGB order: after to_rgb)
    print('--cfg-options data_preprocessor.mean="{}" '
          'data_preprocessor.std="{}"'.format(
              str(stats['mean']).replace(' ', ''),
              str(stats['std']).replace(' ', '')))
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(stats, f, indent=2)


if __name__ == '__main__':
    main()
