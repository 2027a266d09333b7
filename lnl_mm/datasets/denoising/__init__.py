# Copyright (c) lnl_mm contributors. All rights reserved.
from .base import DenoisingImageDataset
from .image_folder import ImageFolderDenoising
from .patches import crop_to_multiple, extract_patches, resize, to_float_grey
from .skimage_photos import TEST_PHOTOS, TRAIN_PHOTOS, SkimagePhotos

__all__ = [
    'DenoisingImageDataset', 'ImageFolderDenoising', 'SkimagePhotos',
    'TRAIN_PHOTOS', 'TEST_PHOTOS', 'crop_to_multiple', 'extract_patches',
    'resize', 'to_float_grey'
]
