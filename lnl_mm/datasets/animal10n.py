# Copyright (c) lnl_mm contributors. All rights reserved.
"""Animal-10N: 55,000 web images with ≈ 8 % real label noise."""
import os
import os.path as osp
from typing import List

from mmpretrain.datasets import BaseDataset
from mmpretrain.registry import DATASETS

ANIMAL10N_CLASSES = ('cat', 'lynx', 'wolf', 'coyote', 'cheetah', 'jaguar',
                     'chimpanzee', 'orangutan', 'hamster', 'guinea pig')
SPLIT_FOLDERS = {'train': 'training', 'test': 'testing'}
IMG_EXTENSIONS = ('.jpg', '.jpeg', '.png')


@DATASETS.register_module()
class Animal10N(BaseDataset):
    """`Animal-10N <https://dm.kaist.ac.kr/datasets/animal-10n/>`_.

    The release holds ``training/`` (50,000 images) and ``testing/``
    (5,000 images) of 64×64 JPEGs named ``<label>_<id>.jpg``; the label is
    the integer before the first underscore (0 cat, 1 lynx, 2 wolf,
    3 coyote, 4 cheetah, 5 jaguar, 6 chimpanzee, 7 orangutan, 8 hamster,
    9 guinea pig). The training labels are the noisy ones; no clean labels
    exist for them, so diagnostics that need clean labels are unavailable.

    Args:
        data_root (str): Folder that contains ``training/`` and ``testing/``.
        split (str): ``'train'`` or ``'test'``. Defaults to ``'train'``.
        **kwargs: Other arguments of :class:`mmpretrain.datasets.BaseDataset`.
    """

    METAINFO = {'classes': ANIMAL10N_CLASSES}

    def __init__(self, data_root: str, split: str = 'train', **kwargs):
        if split not in SPLIT_FOLDERS:
            raise ValueError(f'split must be one of {tuple(SPLIT_FOLDERS)}, '
                             f'got split={split!r}')
        folder = osp.join(data_root, SPLIT_FOLDERS[split])
        if not osp.isdir(folder):
            raise FileNotFoundError(
                f'data_root={data_root!r} has no {SPLIT_FOLDERS[split]}/ '
                'folder (Animal10N)')
        self.split = split
        kwargs.setdefault('test_mode', split == 'test')
        super().__init__(
            ann_file='',
            data_root=data_root,
            data_prefix=SPLIT_FOLDERS[split],
            **kwargs)

    def load_data_list(self) -> List[dict]:
        """List the images and parse the label from each file name."""
        folder = self.data_prefix['img_path']
        data_list = []
        for name in sorted(os.listdir(folder)):
            if not name.lower().endswith(IMG_EXTENSIONS):
                continue
            prefix = name.split('_', 1)[0]
            if not prefix.isdigit(
            ) or not 0 <= int(prefix) < len(ANIMAL10N_CLASSES):
                raise ValueError(
                    f'{osp.join(folder, name)}: the file name must start '
                    'with a label 0-9 followed by "_"')
            data_list.append(
                dict(img_path=osp.join(folder, name), gt_label=int(prefix)))
        if not data_list:
            raise FileNotFoundError(f'No images found in {folder}')
        return data_list
