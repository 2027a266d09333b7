# Copyright (c) lnl_mm contributors. All rights reserved.
"""Shared part of the full-reference image metrics."""
from typing import List, Optional, Sequence, Tuple

import numpy as np
from mmengine.evaluator import BaseMetric


def to_hwc(img) -> np.ndarray:
    """``(C, H, W)`` tensor / array -> ``(H, W)`` or ``(H, W, C)`` float64."""
    arr = img.detach().cpu().numpy() if hasattr(img, 'detach') else \
        np.asarray(img)
    arr = arr.astype(np.float64)
    if arr.ndim == 3:
        arr = arr[0] if arr.shape[0] == 1 else arr.transpose(1, 2, 0)
    return arr


class ImageMetric(BaseMetric):
    """Mean over images of a metric of ``pred_img`` (clipped to [0, 1])
    against ``gt_img``, with ``data_range = 1``.

    Images whose metainfo names a test set (``set_name``, from the
    dataset's ``set_name``) are also averaged per set, as the official
    evaluation reports BSD68 and Set12 apart: ``psnr/Set68``,
    ``psnr/Set12`` beside ``psnr``, the mean over every image.

    Args:
        collect_device (str): Defaults to ``'cpu'``.
        prefix (str, optional): Prefix of the metric name.
    """

    name = 'metric'

    def __init__(self, collect_device: str = 'cpu', prefix=None):
        super().__init__(collect_device=collect_device, prefix=prefix)

    def score(self, pred: np.ndarray, clean: np.ndarray) -> float:
        raise NotImplementedError

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        """Score every image of the batch."""
        for sample in data_samples:
            if 'pred_img' not in sample or 'gt_img' not in sample:
                raise KeyError(f'{type(self).__name__} needs pred_img and '
                               'gt_img in the data samples')
            pred = np.clip(to_hwc(sample['pred_img']), 0, 1)
            self.results.append(
                (self.score(pred,
                            to_hwc(sample['gt_img'])), sample.get('set_name')))

    def compute_metrics(self, results: List[Tuple[float,
                                                  Optional[str]]]) -> dict:
        """The mean over images, and over the images of each named set."""
        metrics = {self.name: float(np.mean([r[0] for r in results]))}
        for name in dict.fromkeys(r[1] for r in results if r[1]):
            metrics[f'{self.name}/{name}'] = float(
                np.mean([r[0] for r in results if r[1] == name]))
        return metrics
