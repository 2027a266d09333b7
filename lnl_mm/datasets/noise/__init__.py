# Copyright (c) lnl_mm contributors. All rights reserved.
"""Pure-NumPy label-noise generators (no mmengine import in this package).

Every generator is deterministic given its seed, so all ranks and workers
that build the same dataset get the same noisy labels without communicating.
"""
import inspect
from typing import Optional

import numpy as np

from . import prior_resample  # noqa
from . import (asymmetric, from_file, instance, random_flip, symmetric,
               transition)
from .asymmetric import CLASS_MAPS, normalize_class_map, resolve_class_map
from .openset import select_openset
from .registry import (NOISE_GENERATORS, available_noise_types, check_rate,
                       get_noise_generator, register_noise)
from .safe_load import UnsafePickleError, load_npy, load_torch_zip
from .stats import label_sha256, noise_statistics, stats_transition


def make_noisy_labels(labels: np.ndarray,
                      num_classes: int,
                      noise: dict,
                      seed: int,
                      features: Optional[np.ndarray] = None) -> np.ndarray:
    """Apply the generator named by ``noise['type']`` with a fresh RNG.

    An option set to ``None`` is removed: that is how the command line
    deletes an option left over from the config's noise type
    (``noise.type=symmetric noise.path=None noise.rate=0.4``). Options the
    generator does not take fail with the list of those it does.

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
    params = {k: v for k, v in noise.items() if v is not None}
    name = params.pop('type', None)
    fn = get_noise_generator(name)
    if fn is instance.instance:
        if features is None:
            raise ValueError('noise.type=instance needs per-sample features')
        params['features'] = features
    check_noise_options(name, fn, params)
    return fn(labels, num_classes, np.random.default_rng(seed), **params)


def check_noise_options(name: str, fn, params: dict) -> None:
    """Fail unless ``params`` are exactly keyword options ``fn`` takes,
    with every required one present."""
    options = {
        p.name: p
        for p in inspect.signature(fn).parameters.values()
        if p.kind == inspect.Parameter.KEYWORD_ONLY
    }
    extra = sorted(set(params) - set(options))
    if extra:
        drop = ' '.join(f'noise.{k}=None' for k in extra)
        raise TypeError(
            f'noise.type={name!r} takes no option {", ".join(extra)} (its '
            f'options: {sorted(options)}). Left over from the config\'s '
            f'noise type? Remove it on the command line with {drop}')
    missing = sorted(
        k for k, p in options.items()
        if p.default is inspect.Parameter.empty and k not in params)
    if missing:
        raise TypeError(f'noise.type={name!r} needs ' +
                        ', '.join(f'noise.{k}' for k in missing))


__all__ = [
    'NOISE_GENERATORS', 'CLASS_MAPS', 'available_noise_types', 'check_rate',
    'get_noise_generator', 'register_noise', 'make_noisy_labels',
    'noise_statistics', 'label_sha256', 'select_openset', 'resolve_class_map',
    'normalize_class_map', 'load_torch_zip', 'load_npy', 'UnsafePickleError',
    'check_noise_options'
]
