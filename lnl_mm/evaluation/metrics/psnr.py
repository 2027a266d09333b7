# Copyright (c) lnl_mm contributors. All rights reserved.
"""Peak signal-to-noise ratio."""
import numpy as np
from mmpretrain.registry import METRICS

from .image_metric import ImageMetric


def psnr(pred: np.ndarray, clean: np.ndarray) -> float:
    """``10 log10(1 / MSE)`` for images in [0, 1]; ``inf`` when equal."""
    mse = float(
        np.mean(
            (np.asarray(pred, np.float64) - np.asarray(clean, np.float64))**2))
    return float('inf') if mse == 0 else 10 * np.log10(1.0 / mse)


@METRICS.register_module()
class PSNR(ImageMetric):
    """Mean PSNR (dB, ``data_range = 1``) of the denoised test images
    (prediction clipped to [0, 1]) against the clean ones; key ``psnr``."""

    name = 'psnr'

    def score(self, pred: np.ndarray, clean: np.ndarray) -> float:
        return psnr(pred, clean)
