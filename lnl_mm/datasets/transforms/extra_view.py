# Copyright (c) lnl_mm contributors. All rights reserved.
"""A second, independently augmented view of the image."""
from typing import List

import numpy as np
import torch
from mmcv.transforms import BaseTransform, Compose
from mmpretrain.registry import TRANSFORMS


@TRANSFORMS.register_module()
class ExtraAugmentedView(BaseTransform):
    """Store ``transforms`` applied to a copy of the image in
    ``results[key]``.

    Put it before the pipeline's own augmentations (which then make the
    first view) and pack it with ``PackNoisyInputs(algorithm_keys=[key])``:
    every data sample carries a second, independently augmented view as a
    ``(C, H, W)`` uint8 tensor, which the model normalises like its inputs
    (DivideMix's two augmentations per sample). The augmentations draw
    from the same random state as the rest of the pipeline.

    Args:
        transforms (list[dict]): The augmentations of the second view.
        key (str): Where to store it. Defaults to ``'view2'``.

    Required keys: ``img``. Added keys: ``key``.
    """

    def __init__(self, transforms: List[dict], key: str = 'view2'):
        if not transforms:
            raise ValueError('ExtraAugmentedView needs transforms (the '
                             'augmentations of the second view)')
        if key in ('img', 'inputs'):
            raise ValueError(f'ExtraAugmentedView: key={key!r} would '
                             'overwrite the first view')
        self.pipeline = Compose([
            TRANSFORMS.build(t) if isinstance(t, dict) else t
            for t in transforms
        ])
        self.key = key

    def transform(self, results: dict) -> dict:
        view = self.pipeline(
            dict(
                img=np.copy(results['img']),
                img_shape=results.get('img_shape'),
                ori_shape=results.get('ori_shape')))
        img = np.asarray(view['img'])
        if img.ndim == 2:
            img = img[..., None]
        results[self.key] = torch.from_numpy(
            np.ascontiguousarray(img.transpose(2, 0, 1)))
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(transforms={self.pipeline!r}, '
                f'key={self.key!r})')
