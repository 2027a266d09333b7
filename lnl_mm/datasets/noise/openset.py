# Copyright (c) lnl_mm contributors. All rights reserved.
"""Open-set noise: replace a fraction of the images by foreign images.

SLN's open-set CIFAR-10 replaces 40 % of the training images by random
CIFAR-100 training images and keeps the CIFAR-10 labels. Here exactly
``floor(rate * N)`` positions are chosen uniformly, and each receives a
distinct source image when the source is large enough (otherwise sources are
drawn with replacement).
"""
from typing import Tuple

import numpy as np

from .registry import check_rate


def select_openset(num_samples: int, num_source: int, rng: np.random.Generator,
                   *, rate: float) -> Tuple[np.ndarray, np.ndarray]:
    """Choose which samples get a foreign image and which image.

    Args:
        num_samples (int): Size N of the in-distribution dataset.
        num_source (int): Size of the source (out-of-distribution) dataset.
        rng (np.random.Generator): Random generator.
        rate (float): Fraction in [0, 1) of images to replace.

    Returns:
        tuple[np.ndarray, np.ndarray]: Sorted replaced positions and, for
        each, the index of its source image.
    """
    rate = check_rate(rate)
    if num_source < 1:
        raise ValueError('noise.source is empty')
    k = int(rate * num_samples)
    replaced = np.sort(rng.choice(num_samples, size=k, replace=False))
    source = rng.choice(num_source, size=k, replace=k > num_source)
    return replaced.astype(np.int64), source.astype(np.int64)
