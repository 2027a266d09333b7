# Copyright (c) lnl_mm contributors. All rights reserved.
"""A folder of images (BSD400 / Set12 / BSD68 style) for denoising."""
import glob
import os.path as osp
from typing import List, Tuple

import numpy as np
from mmpretrain.registry import DATASETS

from .base import DenoisingImageDataset

IMAGE_EXTENSIONS = ('.png', '.jpg', '.jpeg', '.bmp', '.tif', '.tiff')


@DATASETS.register_module()
class ImageFolderDenoising(DenoisingImageDataset):
    """Every image file directly in ``data_root`` (sorted by name).

    For DnCNN's protocol: ``data_root='data/Train400'`` with
    ``split='train'`` (40×40 patches, stride 10, scales 1 / 0.9 / 0.8 / 0.7)
    and ``data_root='data/Test/Set68'`` or ``'data/Test/Set12'`` with
    ``split='test'``. See :class:`DenoisingImageDataset` for the options.

    Args:
        data_root (str): The image folder.
        **kwargs: :class:`DenoisingImageDataset` options.
    """

    def __init__(self, data_root: str, **kwargs):
        if not osp.isdir(data_root):
            raise FileNotFoundError(
                f'data_root={data_root!r} is not a directory of images')
        super().__init__(data_root=data_root, **kwargs)

    def load_images(self) -> List[Tuple[str, np.ndarray]]:
        import mmcv
        files = sorted(
            f for f in glob.glob(osp.join(self.data_root, '*'))
            if f.lower().endswith(IMAGE_EXTENSIONS))
        if not files:
            raise FileNotFoundError(
                f'no images ({", ".join(IMAGE_EXTENSIONS)}) in '
                f'data_root={self.data_root!r}')
        flag = 'grayscale' if self.grey else 'color'
        return [(osp.basename(f),
                 mmcv.imread(f, flag=flag, channel_order='rgb'))
                for f in files]
