# Copyright (c) lnl_mm contributors. All rights reserved.
"""MNIST and Fashion-MNIST read straight from IDX files, never downloaded."""
import gzip
import os.path as osp
from typing import List

import numpy as np
from mmpretrain.datasets import BaseDataset
from mmpretrain.datasets.categories import (FASHIONMNIST_CATEGORITES,
                                            MNIST_CATEGORITES)
from mmpretrain.registry import DATASETS

#: dtype code of the IDX header → NumPy big-endian dtype.
IDX_DTYPES = {
    0x08: np.uint8,
    0x09: np.int8,
    0x0B: np.dtype('>i2'),
    0x0C: np.dtype('>i4'),
    0x0D: np.dtype('>f4'),
    0x0E: np.dtype('>f8'),
}
#: Where to get the files without a download at run time.
OFFLINE = ('On Debian, `apt install dataset-fashion-mnist` provides '
           'Fashion-MNIST offline (`dpkg -L dataset-fashion-mnist` shows the '
           'folder)')
FILES = {
    'train': ('train-images-idx3-ubyte', 'train-labels-idx1-ubyte'),
    'test': ('t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'),
}


def read_idx(path: str) -> np.ndarray:
    """Read an IDX file (optionally ``.gz``) into an array."""
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rb') as f:
        data = f.read()
    if len(data) < 4 or data[0] != 0 or data[1] != 0:
        raise ValueError(f'{path} is not an IDX file (bad magic number)')
    dtype, ndim = IDX_DTYPES.get(data[2]), data[3]
    if dtype is None:
        raise ValueError(f'{path}: unknown IDX dtype code {data[2]:#x}')
    shape = tuple(
        int.from_bytes(data[4 + 4 * i:8 + 4 * i], 'big') for i in range(ndim))
    arr = np.frombuffer(data, dtype=dtype, offset=4 + 4 * ndim)
    if arr.size != int(np.prod(shape)):
        raise ValueError(f'{path}: header says {shape}, found {arr.size} '
                         'values')
    return arr.reshape(shape)


def find_idx_file(root: str, stem: str) -> str:
    """``root/stem.gz`` or ``root/stem``; a clear error if neither exists."""
    for name in (stem + '.gz', stem):
        if osp.isfile(osp.join(root, name)):
            return osp.join(root, name)
    raise FileNotFoundError(
        f'data_root={root!r} has neither {stem}.gz nor {stem}. {OFFLINE}')


@DATASETS.register_module()
class IDXMNIST(BaseDataset):
    """MNIST from the four IDX files (``.gz`` or extracted) in ``data_root``.

    Unlike mmpretrain's ``MNIST`` it never downloads and reads the gzip
    files directly.

    Args:
        data_root (str): Folder holding ``train-images-idx3-ubyte.gz`` etc.
        split (str): ``'train'`` or ``'test'``. Defaults to ``'train'``.
        **kwargs: Other arguments of :class:`mmpretrain.datasets.BaseDataset`.
    """

    METAINFO = {'classes': MNIST_CATEGORITES}

    def __init__(self, data_root: str, split: str = 'train', **kwargs):
        if split not in FILES:
            raise ValueError(f'split must be one of {tuple(FILES)}, got '
                             f'split={split!r}')
        if not osp.isdir(data_root):
            raise FileNotFoundError(f'data_root={data_root!r} does not exist '
                                    f'({type(self).__name__}). {OFFLINE}')
        self.split = split
        kwargs.setdefault('test_mode', split == 'test')
        super().__init__(ann_file='', data_root=data_root, **kwargs)

    def load_data_list(self) -> List[dict]:
        """Read the images and labels of this split."""
        img_stem, label_stem = FILES[self.split]
        images = read_idx(find_idx_file(self.data_root, img_stem))
        labels = read_idx(find_idx_file(self.data_root, label_stem))
        if images.ndim != 3 or labels.ndim != 1 or \
                len(images) != len(labels):
            raise ValueError(
                f'{self.data_root}: {len(images)} images of shape '
                f'{images.shape[1:]} vs {len(labels)} labels')
        return [
            dict(img=img, gt_label=int(label))
            for img, label in zip(images, labels)
        ]

    def extra_repr(self) -> List[str]:
        """Extra lines of ``repr``."""
        return [f'Data root: \t{self.data_root}', f'Split: \t{self.split}']


@DATASETS.register_module()
class IDXFashionMNIST(IDXMNIST):
    """Fashion-MNIST from IDX files; see :class:`IDXMNIST`."""

    METAINFO = {'classes': FASHIONMNIST_CATEGORITES}
