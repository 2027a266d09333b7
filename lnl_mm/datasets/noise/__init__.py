# Copyright (c) lnl_mm contributors. All rights reserved.
"""Pure-NumPy label-noise generators (no mmengine import in this package).

Every generator is deterministic given its seed, so all ranks and workers
that build the same dataset get the same noisy labels without communicating.
"""
from typing import Optional

import numpy as np

from . import (asymmetric, from_file, instance, prior_resample,  # noqa
               random_flip, symmetric, transition)
from .asymmetric import CLASS_MAPS, resolve_class_map
from .openset import select_openset
from .registry import (NOISE_GENERATORS, available_noise_types, check_rate,
                       get_noise_generator, register_noise)
from .safe_load import UnsafePickleError, load_npy, load_torch_zip
from .stats import label_sha256, noise_statistics


def make_noisy_labels(labels: np.ndarray,
                      num_classes: int,
                      noise: dict,
                      seed: int,
                      features: Optional[np.ndarray] = None) -> np.ndarray:
    """Apply the generator named by ``noise['type']`` with a fresh RNG.

    Args:
        labels (np.ndarray): Clean labels (N,).
        num_classes (int): Number of classes C.
        noise (dict): ``type`` plus the generator's keyword arguments.
        seed (int): Seed of ``np.random.default_rng``.
        features (np.ndarray, optional): Per-sample features for generators
            that need them (``instance``).

    Returns:
        np.ndarray: Noisy labels (N,), int64.
    """
    params = dict(noise)
    fn = get_noise_generator(params.pop('type', None))
    if fn is instance.instance:
        if features is None:
            raise ValueError('noise.type=instance needs per-sample features')
        params['features'] = features
    rng = np.random.default_rng(seed)
    try:
        return fn(labels, num_classes, rng, **params)
    except TypeError as e:
        raise TypeError(f'Bad options for noise.type={noise["type"]!r}: '
                        f'{e}') from None


__all__ = [
    'NOISE_GENERATORS', 'CLASS_MAPS', 'available_noise_types', 'check_rate',
    'get_noise_generator', 'register_noise', 'make_noisy_labels',
    'noise_statistics', 'label_sha256', 'select_openset',
    'resolve_class_map', 'load_torch_zip', 'load_npy', 'UnsafePickleError'
]
