# Copyright (c) lnl_mm contributors. All rights reserved.
"""ISIC 2019 skin-lesion classification from its ground-truth CSV."""
import csv
import os.path as osp
from typing import List, Sequence, Tuple

import numpy as np
from mmpretrain.datasets import BaseDataset
from mmpretrain.registry import DATASETS

#: Column order of ``ISIC_2019_Training_GroundTruth.csv``.
ISIC2019_COLUMNS = ('MEL', 'NV', 'BCC', 'AK', 'BKL', 'DF', 'VASC', 'SCC',
                    'UNK')


def read_isic_csv(path: str) -> Tuple[List[str], List[List[str]]]:
    """Return the header and the rows of an ISIC ground-truth CSV."""
    if not osp.isfile(path):
        raise FileNotFoundError(f'ann_file={path!r} does not exist (ISIC2019)')
    with open(path, newline='') as f:
        rows = list(csv.reader(f))
    if not rows:
        raise ValueError(f'ann_file={path!r} is empty')
    header, body = rows[0], rows[1:]
    expected = ['image', *ISIC2019_COLUMNS]
    if header != expected:
        raise ValueError(f'ann_file={path!r}: header {header} differs from '
                         f'the ISIC 2019 ground truth {expected}')
    return header, body


def split_isic_subset(rows: Sequence, num_train: int, num_test: int,
                      seed: int) -> Tuple[list, list]:
    """Shuffle ``rows`` with ``seed`` and cut ``num_train`` + ``num_test``.

    This is the procedure of the reweighting seed's ``split.py`` (shuffle,
    take 6,250, split 80/20 into 5,000 / 1,250), made reproducible by a seed.
    """
    if num_train + num_test > len(rows):
        raise ValueError(f'num_train + num_test = {num_train + num_test} '
                         f'exceeds the {len(rows)} rows')
    order = np.random.default_rng(seed).permutation(len(rows))
    picked = [rows[i] for i in order[:num_train + num_test]]
    return picked[:num_train], picked[num_train:]


@DATASETS.register_module()
class ISIC2019(BaseDataset):
    """`ISIC 2019 <https://challenge.isic-archive.com/data/#2019>`_.

    The training ground truth has 9 one-hot columns, but ``UNK`` is empty in
    the training set (it exists only in the official test set). By default
    the dataset has the 8 training classes and a row labelled ``UNK`` is an
    error; ``include_unk=True`` keeps 9 classes (the seed's ``num_classes=9``).

    Args:
        data_root (str): Dataset root.
        ann_file (str): Ground-truth CSV (the full file or a split of it, e.g.
            from ``tools/dataset_converters/isic2019_split.py``).
        data_prefix (str): Image folder; images are ``<image>.jpg``.
            Defaults to ``'ISIC_2019_Training_Input'``.
        include_unk (bool): Keep ``UNK`` as a 9th class. Defaults to False.
        **kwargs: Other arguments of :class:`mmpretrain.datasets.BaseDataset`.
    """

    def __init__(self,
                 data_root: str,
                 ann_file: str = 'ISIC_2019_Training_GroundTruth.csv',
                 data_prefix: str = 'ISIC_2019_Training_Input',
                 include_unk: bool = False,
                 **kwargs):
        if not osp.isdir(data_root):
            raise FileNotFoundError(
                f'data_root={data_root!r} does not exist (ISIC2019)')
        self.include_unk = include_unk
        classes = ISIC2019_COLUMNS if include_unk else ISIC2019_COLUMNS[:-1]
        kwargs.setdefault('metainfo', dict(classes=classes))
        super().__init__(
            ann_file=ann_file,
            data_root=data_root,
            data_prefix=data_prefix,
            **kwargs)

    def load_data_list(self) -> List[dict]:
        """Parse the one-hot rows into class indices."""
        _, rows = read_isic_csv(self.ann_file)
        folder = self.data_prefix['img_path']
        num_classes = len(self.metainfo['classes'])
        data_list = []
        for line, row in enumerate(rows, start=2):
            onehot = np.array([float(v) for v in row[1:]])
            if onehot.size != len(ISIC2019_COLUMNS) or \
                    not np.isclose(onehot.sum(), 1.0) or \
                    not np.isin(onehot, (0.0, 1.0)).all():
                raise ValueError(f'{self.ann_file}:{line}: not a one-hot row')
            label = int(onehot.argmax())
            if label >= num_classes:
                raise ValueError(
                    f'{self.ann_file}:{line}: image {row[0]} is labelled UNK; '
                    'set include_unk=True to keep a 9th class')
            data_list.append(
                dict(
                    img_path=osp.join(folder, row[0] + '.jpg'),
                    gt_label=label))
        return data_list
