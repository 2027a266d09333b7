# Copyright (c) lnl_mm contributors. All rights reserved.
"""ISIC 2019 skin-lesion classification from its ground-truth CSV."""
import os.path as osp
from typing import List, Sequence, Tuple

import numpy as np
from mmpretrain.datasets import BaseDataset
from mmpretrain.registry import DATASETS

from .noise.isic_format import (ISIC2019_COLUMNS, ISICRow, read_isic_csv,
                                read_isic_rows, row_label, seed_clean_label)

__all__ = [
    'ISIC2019', 'ISIC2019_COLUMNS', 'ISICRow', 'read_isic_csv',
    'read_isic_rows', 'row_label', 'seed_clean_label', 'split_isic_subset'
]


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

    The reweighting seed's header-less files are read as they are (see
    :func:`read_isic_rows`); with its ``markedgiven*`` files,
    ``labels='clean'`` takes each row's clean class from the marks, so that
    ``NoisyLabelDataset(noise=dict(type='from_file', path=<the same file>))``
    gives the seed's noisy labels over their clean ones (the noise manifest,
    the diagnostics). A marked row also carries ``seed_marked_noisy``.

    Args:
        data_root (str): Dataset root.
        ann_file (str): Ground-truth CSV (the full file or a split of it, e.g.
            from ``tools/dataset_converters/isic2019_split.py``, or one of
            the seed's files).
        data_prefix (str): Image folder; images are ``<image>.jpg``.
            Defaults to ``'ISIC_2019_Training_Input'``.
        include_unk (bool): Keep ``UNK`` as a 9th class. Defaults to False.
        labels (str): ``'file'``: the label written in each row; ``'clean'``:
            the clean label of the seed's ``markedgiven`` rows. Defaults to
            ``'file'``.
        **kwargs: Other arguments of :class:`mmpretrain.datasets.BaseDataset`.
    """

    def __init__(self,
                 data_root: str,
                 ann_file: str = 'ISIC_2019_Training_GroundTruth.csv',
                 data_prefix: str = 'ISIC_2019_Training_Input',
                 include_unk: bool = False,
                 labels: str = 'file',
                 **kwargs):
        if labels not in ('file', 'clean'):
            raise ValueError(f"ISIC2019: labels must be 'file' or 'clean', "
                             f'got labels={labels!r}')
        self.labels = labels
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
        _, rows = read_isic_rows(self.ann_file)
        folder = self.data_prefix['img_path']
        num_classes = len(self.metainfo['classes'])
        data_list = []
        for row in rows:
            label = row_label(self.ann_file, row)
            if self.labels == 'clean':
                label = seed_clean_label(self.ann_file, row)
            if label >= num_classes:
                raise ValueError(
                    f'{self.ann_file}:{row.line}: image {row.image} is '
                    'labelled UNK; set include_unk=True to keep a 9th class')
            info = dict(
                img_path=osp.join(folder, row.image + '.jpg'), gt_label=label)
            if row.marks:
                info['seed_marked_noisy'] = bool(row.marks[0])
            data_list.append(info)
        return data_list
