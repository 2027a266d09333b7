# Copyright (c) lnl_mm contributors. All rights reserved.
"""Write the noisy labels of a config's training set to a file.

re-sln writes its custom noise (``--make_new_custom_noise``) to disk, and
SLN ships its noise as CSV files; this tool does the same for any of our
generators. It builds the training set of CONFIG (its ``NoisyLabelDataset``,
with ``--noise`` and ``--cfg-options`` applied as ``tools/train.py`` does)
and writes:

* ``.csv``: SLN's format, header ``label,label_noisy``, one row per sample
  in dataset order (the clean label, then the noisy one);
* ``.npy``: the noisy labels, an int64 array.

Read back with ``noise=dict(type='from_file', path=OUT, column='label_noisy')``
(CSV) or ``noise=dict(type='from_file', path=OUT)`` (``.npy``): the labels are
bit-identical, and the CSV's ``label`` column is checked against the clean
labels on load.

Example:
    python tools/dataset_converters/write_noise_file.py \\
        configs/robust_losses/ce_cnn4_1xb64-30e_digits-sym40.py \\
        --noise asym40_mnist --out data/digits_asym0.4.csv
"""
import argparse
import csv
import os
import os.path as osp

import numpy as np
from mmengine.config import Config, DictAction
from mmpretrain.registry import DATASETS

import lnl_mm  # noqa: F401  (registration)
from lnl_mm.datasets.wrappers import find_noisy_dataset
from lnl_mm.utils.launch import hooks_by_name
from lnl_mm.utils.noise_fragment import apply_noise


def parse_args():
    p = argparse.ArgumentParser(
        description=' '.join(__doc__.split('\n\n')[0].split()))
    p.add_argument('config', help='a config whose training set is noisy')
    p.add_argument('--out', required=True, help='output file: .csv or .npy')
    p.add_argument('--noise', help='a noise fragment, as tools/train.py')
    p.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings, key=value')
    return p.parse_args()


def noisy_training_set(cfg: Config):
    """The built ``NoisyLabelDataset`` of ``cfg``'s training set."""
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    noisy = find_noisy_dataset(dataset)
    if noisy is None:
        raise SystemExit(
            f'{type(dataset).__name__}: the training set of this config '
            'has no synthetic noise (no NoisyLabelDataset) to write')
    return noisy


def write(path: str, clean: np.ndarray, noisy: np.ndarray) -> None:
    """``noisy`` (and ``clean`` for a CSV) to ``path``."""
    ext = osp.splitext(path)[1].lower()
    if ext not in ('.csv', '.npy'):
        raise SystemExit(f'--out {path}: the extension must be .csv or .npy')
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    if ext == '.npy':
        np.save(path, noisy.astype(np.int64))
        return
    if (clean < 0).any():
        raise SystemExit(
            f'--out {path}: this noise replaces images (open-set), so some '
            'samples have no clean class; write .npy instead')
    with open(path, 'w', newline='') as f:
        out = csv.writer(f)
        out.writerow(['label', 'label_noisy'])
        out.writerows(zip(clean.tolist(), noisy.tolist()))


def main():
    args = parse_args()
    cfg = Config.fromfile(args.config)
    if args.noise is not None:
        apply_noise(cfg, args.noise)
    if args.cfg_options is not None:
        cfg.merge_from_dict(hooks_by_name(cfg, args.cfg_options))
    dataset = noisy_training_set(cfg)
    clean = np.asarray(dataset.clean_labels, dtype=np.int64)
    noisy = np.asarray(dataset.noisy_labels, dtype=np.int64)
    write(args.out, clean, noisy)
    manifest = dataset.noise_manifest()
    print(f'{args.out}: {noisy.size} labels, noise {dataset.noise}, seed '
          f'{dataset.seed}, realised rate {manifest["realised_rate"]:.4f}, '
          f'sha256 {manifest["sha256_noisy_labels"][:16]}')


if __name__ == '__main__':
    main()
