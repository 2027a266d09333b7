# Copyright (c) lnl_mm contributors. All rights reserved.
"""Pack a denoising sample: noisy input, clean and second-noisy targets."""
import numpy as np
import torch
from mmcv.transforms import BaseTransform
from mmpretrain.registry import TRANSFORMS
from mmpretrain.structures import DataSample


def _chw(img: np.ndarray) -> torch.Tensor:
    img = np.asarray(img, dtype=np.float32)
    if img.ndim == 2:
        img = img[None]
    else:
        img = img.transpose(2, 0, 1)
    return torch.from_numpy(np.ascontiguousarray(img))


@TRANSFORMS.register_module()
class PackDenoiseInputs(BaseTransform):
    """``inputs``: the noisy image (C, H, W); ``data_samples``: a
    ``DataSample`` with ``gt_img`` (clean) and, for noise2noise,
    ``noisy2``; ``sample_idx``, ``img_name`` and ``set_name`` as metainfo.

    Args:
        meta_keys (tuple[str]): Keys copied to the metainfo when present.
            Defaults to ``('sample_idx', 'img_name', 'set_name')``.
    """

    def __init__(self, meta_keys=('sample_idx', 'img_name', 'set_name')):
        self.meta_keys = tuple(meta_keys)

    def transform(self, results: dict) -> dict:
        """Pack ``results`` (needs ``noisy`` from :class:`AddImageNoise`)."""
        if 'noisy' not in results:
            raise KeyError('PackDenoiseInputs needs "noisy": put '
                           'AddImageNoise before it in the pipeline')
        sample = DataSample()
        sample.set_field(_chw(results['img']), 'gt_img')
        if 'noisy2' in results:
            sample.set_field(_chw(results['noisy2']), 'noisy2')
        sample.set_metainfo(
            {k: results[k]
             for k in self.meta_keys if k in results})
        return dict(inputs=_chw(results['noisy']), data_samples=sample)
