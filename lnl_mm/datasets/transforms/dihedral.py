# Copyright (c) lnl_mm contributors. All rights reserved.
"""One of the 8 flips / rotations of a square patch (DnCNN augmentation)."""
import numpy as np
from mmcv.transforms import BaseTransform
from mmpretrain.registry import TRANSFORMS


def dihedral(img: np.ndarray, mode: int) -> np.ndarray:
    """``mode`` 0-7: rotate by ``90·(mode % 4)`` degrees, then flip up-down
    if ``mode >= 4``; mode 0 is the identity."""
    if not 0 <= mode < 8:
        raise ValueError(f'dihedral mode must be in [0, 8), got {mode}')
    out = np.rot90(img, k=mode % 4, axes=(0, 1))
    if mode >= 4:
        out = out[::-1]
    return np.ascontiguousarray(out)


@TRANSFORMS.register_module()
class RandomDihedral(BaseTransform):
    """Apply a uniformly drawn one of the 8 :func:`dihedral` modes to
    ``results['img']`` (H, W) or (H, W, C)."""

    def __init__(self):
        self._rng = np.random.default_rng()

    def transform(self, results: dict) -> dict:
        """Transform ``results['img']`` in place."""
        results['img'] = dihedral(results['img'], int(self._rng.integers(8)))
        return results
