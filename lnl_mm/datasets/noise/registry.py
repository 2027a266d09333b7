# Copyright (c) lnl_mm contributors. All rights reserved.
"""A tiny name → generator table for the label-noise generators.

This layer is pure NumPy on purpose (see ``docs/design.md``: the noise
generators import nothing from mmengine), so it keeps its own small
registry instead of an mmengine ``Registry``.
"""
from typing import Callable, Dict, List

import numpy as np

NOISE_GENERATORS: Dict[str, Callable] = {}


def register_noise(name: str) -> Callable:
    """Register a noise generator under ``name``.

    A generator has the signature
    ``fn(labels, num_classes, rng, **params) -> noisy_labels`` where
    ``labels`` is a 1-D int64 array of clean labels and ``rng`` a
    :class:`numpy.random.Generator`.
    """

    def _register(fn: Callable) -> Callable:
        if name in NOISE_GENERATORS:
            raise KeyError(f'noise type {name!r} is already registered')
        NOISE_GENERATORS[name] = fn
        return fn

    return _register


def available_noise_types() -> List[str]:
    """Names accepted by ``noise.type``, sorted."""
    return sorted(NOISE_GENERATORS)


def get_noise_generator(name: str) -> Callable:
    """Look up a generator, failing with the list of valid names."""
    if name not in NOISE_GENERATORS:
        raise ValueError(f'Unknown noise type: noise.type={name!r}. '
                         f'Valid types: {available_noise_types()}')
    return NOISE_GENERATORS[name]


def check_rate(rate: float, option: str = 'noise.rate') -> float:
    """Validate a noise rate in [0, 1).

    Args:
        rate (float): The rate to check.
        option (str): The option name used in the error message.
    """
    if isinstance(rate, bool) or not isinstance(rate,
                                                (int, float, np.floating)):
        raise TypeError(f'{option} must be a number in [0, 1), '
                        f'got {rate!r}')
    if not 0.0 <= float(rate) < 1.0:
        raise ValueError(f'{option} must be in [0, 1), got {option}={rate}')
    return float(rate)


def check_labels(labels: np.ndarray, num_classes: int) -> np.ndarray:
    """Return ``labels`` as int64 after checking they lie in [0, C)."""
    labels = np.asarray(labels)
    if labels.ndim != 1:
        raise ValueError(f'labels must be 1-D, got shape {labels.shape}')
    if not np.issubdtype(labels.dtype, np.integer):
        raise TypeError(f'labels must be integers, got dtype {labels.dtype}')
    if num_classes < 2:
        raise ValueError(f'num_classes must be >= 2, got {num_classes}')
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(
            f'labels must lie in [0, num_classes={num_classes}), got range '
            f'[{labels.min()}, {labels.max()}]')
    return labels.astype(np.int64)
