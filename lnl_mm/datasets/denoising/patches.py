# Copyright (c) lnl_mm contributors. All rights reserved.
"""Training patches and evaluation crops of images for denoising."""
from typing import List, Sequence

import numpy as np


def to_float_grey(img: np.ndarray, grey: bool = True) -> np.ndarray:
    """uint8 / bool / float image -> float32 in [0, 1]; RGB(A) -> grey
    (ITU-R 601 luma, as ``skimage.color.rgb2gray``) when ``grey``."""
    img = np.asarray(img)
    if img.dtype == bool:
        img = img.astype(np.float32)
    elif np.issubdtype(img.dtype, np.integer):
        img = img.astype(np.float32) / np.iinfo(img.dtype).max
    else:
        img = img.astype(np.float32)
    if img.ndim == 3 and img.shape[2] == 4:
        img = img[..., :3]
    if grey and img.ndim == 3:
        img = img @ np.array([0.2125, 0.7154, 0.0721], dtype=np.float32)
    return img


def resize(img: np.ndarray, scale: float) -> np.ndarray:
    """Bicubic resize by ``scale`` (values stay in range)."""
    from skimage.transform import rescale
    if scale == 1:
        return img
    out = rescale(
        img,
        scale,
        order=3,
        anti_aliasing=False,
        channel_axis=2 if img.ndim == 3 else None)
    return np.clip(out, 0, 1).astype(np.float32)


def extract_patches(
    img: np.ndarray,
    size: int = 40,
    stride: int = 10,
    scales: Sequence[float] = (1, 0.9, 0.8, 0.7)
) -> List[np.ndarray]:
    """All ``size``×``size`` patches at ``stride`` of ``img`` resized by
    every scale (DnCNN's training data). A scale whose image is smaller
    than one patch contributes nothing."""
    if size < 1 or stride < 1:
        raise ValueError(f'patch size and stride must be >= 1, got '
                         f'size={size}, stride={stride}')
    patches = []
    for s in scales:
        if not 0 < s <= 4:
            raise ValueError(f'scales must be in (0, 4], got {s}')
        im = resize(img, s)
        h, w = im.shape[:2]
        for i in range(0, h - size + 1, stride):
            for j in range(0, w - size + 1, stride):
                patches.append(im[i:i + size, j:j + size].copy())
    return patches


def crop_to_multiple(img: np.ndarray, multiple: int = 32) -> np.ndarray:
    """Crop the bottom / right so both sides are multiples of ``multiple``
    (the official evaluation protocol)."""
    h, w = img.shape[:2]
    h2, w2 = h - h % multiple, w - w % multiple
    if h2 == 0 or w2 == 0:
        raise ValueError(f'image of {h}x{w} is smaller than one '
                         f'{multiple}x{multiple} block')
    return img[:h2, :w2]
