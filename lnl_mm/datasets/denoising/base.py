# Copyright (c) lnl_mm contributors. All rights reserved.
"""Shared behaviour of the denoising datasets: patches or full images."""
from typing import List, Optional, Sequence, Tuple

import numpy as np
from mmengine.dataset import BaseDataset

from .patches import crop_to_multiple, extract_patches, resize, to_float_grey

SPLITS = ('train', 'test')


class DenoisingImageDataset(BaseDataset):
    """Clean images for denoising; the pipeline adds the noise.

    ``split='train'`` yields ``patch_size`` patches (stride ``stride``,
    scales ``scales``) of every image; ``split='test'`` yields every whole
    image cropped to a multiple of ``crop_multiple``. Items are
    ``dict(img=float32 array in [0, 1], img_name=..., sample_idx=...)``.
    Subclasses implement :meth:`load_images`.

    Args:
        split (str): ``'train'`` or ``'test'``.
        grey (bool): Convert RGB to grey. Defaults to True.
        patch_size (int): Defaults to 40.
        stride (int): Defaults to 10.
        scales (Sequence[float]): Defaults to ``(1, 0.9, 0.8, 0.7)``.
        max_side (int, optional): First resize an image whose longer side
            exceeds this (bounds the patch count on CPU). Defaults to None.
        crop_multiple (int): Defaults to 32.
        pipeline (list): Transforms. Defaults to ``[]``.
        **kwargs: Other ``BaseDataset`` options.
    """

    def __init__(self,
                 split: str = 'train',
                 grey: bool = True,
                 patch_size: int = 40,
                 stride: int = 10,
                 scales: Sequence[float] = (1, 0.9, 0.8, 0.7),
                 max_side: Optional[int] = None,
                 crop_multiple: int = 32,
                 pipeline: Sequence = (),
                 **kwargs):
        if split not in SPLITS:
            raise ValueError(f'split must be one of {SPLITS}, got '
                             f'split={split!r}')
        self.split = split
        self.grey = grey
        self.patch_size = patch_size
        self.stride = stride
        self.scales = tuple(scales)
        self.max_side = max_side
        self.crop_multiple = crop_multiple
        super().__init__(pipeline=list(pipeline), **kwargs)

    def load_images(self) -> List[Tuple[str, np.ndarray]]:
        """``(name, image)`` pairs of this split."""
        raise NotImplementedError

    def _prepare(self, img: np.ndarray) -> np.ndarray:
        img = to_float_grey(img, self.grey)
        if self.max_side and max(img.shape[:2]) > self.max_side:
            img = resize(img, self.max_side / max(img.shape[:2]))
        return img

    def load_data_list(self) -> List[dict]:
        """Patches (train) or cropped whole images (test)."""
        data = []
        for name, img in self.load_images():
            img = self._prepare(img)
            if self.split == 'train':
                for k, patch in enumerate(
                        extract_patches(img, self.patch_size, self.stride,
                                        self.scales)):
                    data.append(dict(img=patch, img_name=f'{name}#{k}'))
            else:
                data.append(
                    dict(
                        img=crop_to_multiple(img, self.crop_multiple),
                        img_name=name))
        if not data:
            raise ValueError(f'{type(self).__name__}: no {self.split} data '
                             '(images smaller than one patch?)')
        return data
