# Copyright (c) lnl_mm contributors. All rights reserved.
"""Structural similarity (scikit-image's implementation)."""
import numpy as np
from mmpretrain.registry import METRICS

from .image_metric import ImageMetric


@METRICS.register_module()
class SSIM(ImageMetric):
    """Mean SSIM of the denoised test images against the clean ones, with
    ``skimage.metrics.structural_similarity(data_range=1)`` (7×7 uniform
    window; pinned, since newer scikit-image refuses float input without
    it); key ``ssim``."""

    name = 'ssim'

    def score(self, pred: np.ndarray, clean: np.ndarray) -> float:
        from skimage.metrics import structural_similarity
        return float(
            structural_similarity(
                clean,
                pred,
                data_range=1.0,
                channel_axis=2 if clean.ndim == 3 else None))
