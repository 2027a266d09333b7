# Copyright (c) lnl_mm contributors. All rights reserved.
"""The photographs that ship inside scikit-image (no download)."""
from typing import List, Tuple

import numpy as np
from mmpretrain.registry import DATASETS

from .base import DenoisingImageDataset

#: Fixed split of the natural images bundled with scikit-image.
TRAIN_PHOTOS = ('astronaut', 'brick', 'chelsea', 'clock', 'coffee', 'grass',
                'gravel', 'hubble_deep_field', 'immunohistochemistry', 'page',
                'retina', 'rocket', 'text')
TEST_PHOTOS = ('camera', 'cat', 'coins', 'moon')


@DATASETS.register_module()
class SkimagePhotos(DenoisingImageDataset):
    """scikit-image's bundled photographs, a fixed train / test split.

    Train: astronaut, brick, chelsea, clock, coffee, grass, gravel,
    hubble_deep_field, immunohistochemistry, page, retina, rocket, text.
    Test: camera, cat, coins, moon. Every name loads from the installed
    package, so a denoising config trains and evaluates on a fresh machine
    without a download. See :class:`DenoisingImageDataset` for the options.

    Args:
        names (Sequence[str], optional): Override the split's photos.
        **kwargs: :class:`DenoisingImageDataset` options.
    """

    def __init__(self, names=None, **kwargs):
        self.names = tuple(names) if names is not None else None
        super().__init__(**kwargs)

    def load_images(self) -> List[Tuple[str, np.ndarray]]:
        import skimage.data
        names = self.names or (TRAIN_PHOTOS
                               if self.split == 'train' else TEST_PHOTOS)
        images = []
        for name in names:
            loader = getattr(skimage.data, name, None)
            if loader is None:
                raise ValueError(f'skimage.data has no photo {name!r}')
            images.append((name, loader()))
        return images
