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
        discard_to_multiple (int, optional): Train split: drop the first
            ``len % m`` patches so that the count is a multiple of ``m``,
            as the official DnCNN data generator does with ``m`` = the
            batch size (128). Defaults to None (keep every patch).
        set_name (str, optional): A name written into every item (and, by
            :class:`PackDenoiseInputs`, the metainfo), so that the metrics
            of a ``ConcatDataset`` of test sets report each set
            (``psnr/Set68``, ``psnr/Set12``). Defaults to None.
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
                 discard_to_multiple: Optional[int] = None,
                 set_name: Optional[str] = None,
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
        if discard_to_multiple is not None and (
                isinstance(discard_to_multiple, bool)
                or not isinstance(discard_to_multiple, int)
                or discard_to_multiple < 1):
            raise ValueError(f'discard_to_multiple must be an int >= 1 or '
                             f'None, got {discard_to_multiple!r}')
        if discard_to_multiple is not None and split != 'train':
            raise ValueError("discard_to_multiple trims training patches; "
                             f"split={split!r} keeps every image")
        if set_name is not None and not (isinstance(set_name, str)
                                         and set_name):
            raise ValueError(f'set_name must be a non-empty str or None, got '
                             f'{set_name!r}')
        self.discard_to_multiple = discard_to_multiple
        self.set_name = set_name
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
        if self.discard_to_multiple:
            data = data[len(data) % self.discard_to_multiple:]
        if not data:
            raise ValueError(f'{type(self).__name__}: no {self.split} data '
                             '(images smaller than one patch, or fewer '
                             'patches than discard_to_multiple?)')
        if self.set_name is not None:
            for item in data:
                item['set_name'] = self.set_name
        return data
