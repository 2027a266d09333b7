# Copyright (c) lnl_mm contributors. All rights reserved.
"""Keep an un-augmented copy of the image beside the augmented one."""
import numpy as np
import torch
from mmcv.transforms import BaseTransform
from mmpretrain.registry import TRANSFORMS


@TRANSFORMS.register_module()
class StoreWeakView(BaseTransform):
    """Store the image as it is now in ``results['weak_img']``.

    Put it before the augmentations; pack it with
    ``PackNoisyInputs(algorithm_keys=['weak_img'])``. The weak view then
    travels as a ``(C, H, W)`` uint8 tensor in each data sample, and the
    model normalises it like its inputs (Dynamic Loss computes the label
    correction on the weak view and trains on the strong one).

    Required keys: ``img``. Added keys: ``weak_img``.
    """

    def transform(self, results: dict) -> dict:
        img = np.asarray(results['img'])
        if img.ndim == 2:
            img = img[..., None]
        results['weak_img'] = torch.from_numpy(
            np.ascontiguousarray(img.transpose(2, 0, 1)))
        return results
