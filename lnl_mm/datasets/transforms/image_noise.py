# Copyright (c) lnl_mm contributors. All rights reserved.
"""Pixel noise for self-supervised denoising, as seeded pipeline transforms.

Styles, on images scaled to [0, 1] (ALFs ``denoising/``):

* ``gaussS``: add N(0, (S/255)^2) per pixel (not clipped);
* ``poissonL``: Poisson(L·x) / L;
* ``bernoulliP``: multiply by a Bernoulli mask that **keeps** a pixel with
  probability P (``bernoulli0.3`` zeroes 70 % of the pixels);
* ``saltpepperP``: a pixel becomes 0 with probability P and 1 with
  probability P (2P of the pixels corrupted);
* ``impulseP``: a pixel is replaced by U[0, 1) with probability P;
* ``gaussA_B`` (``gauss_range``): every image draws its own sigma from
  U[A, B], then as ``gauss``;
* ``poissonA_B`` (``poisson_range``): every image draws its own lam from
  U[A, B], then as ``poisson`` (ALFs ``denoising/dataset/dataset.py``,
  ``AugmentNoise``).

The compact strings of the official scripts (``gauss25``, ``bernoulli0.3``,
``gauss5_50``) and explicit dicts (``dict(type='gauss', sigma=25)``,
``dict(type='gauss_range', sigma_min=5, sigma_max=50)``) are both accepted.
"""
import re
from typing import Optional, Union

import numpy as np
from mmcv.transforms import BaseTransform
from mmpretrain.registry import TRANSFORMS

#: style name -> (parameter name, valid range description, check)
STYLES = {
    'gauss': ('sigma', 'sigma > 0 (on the 0-255 scale)', lambda v: v > 0),
    'poisson': ('lam', 'lam > 0', lambda v: v > 0),
    'bernoulli': ('p', '0 < p <= 1 (keep probability)', lambda v: 0 < v <= 1),
    'saltpepper': ('p', '0 <= p <= 0.5', lambda v: 0 <= v <= 0.5),
    'impulse': ('p', '0 <= p <= 1', lambda v: 0 <= v <= 1),
}
#: range style -> the fixed style whose parameter it draws per image
RANGE_STYLES = {'gauss_range': 'gauss', 'poisson_range': 'poisson'}
_NUM = r'(\d+(?:\.\d*)?|\.\d+)'
_COMPACT = re.compile(r'^([a-z]+?)' + _NUM + '$')
_COMPACT_RANGE = re.compile(r'^([a-z]+?)' + _NUM + '_' + _NUM + '$')


def _parse_range(style: dict) -> dict:
    base = RANGE_STYLES[style['type']]
    key, text, check = STYLES[base]
    keys = {f'{key}_min', f'{key}_max'}
    if set(style) - {'type'} != keys:
        raise ValueError(f'noise style {style!r}: takes exactly '
                         f'{sorted(keys)}')
    lo, hi = style[f'{key}_min'], style[f'{key}_max']
    if not all(
            isinstance(v, (int, float)) and check(float(v))
            for v in (lo, hi)) or lo > hi:
        raise ValueError(f'noise style {style!r}: needs {text} for both '
                         f'ends and {key}_min <= {key}_max')
    return {
        'type': style['type'],
        f'{key}_min': float(lo),
        f'{key}_max': float(hi)
    }


def parse_noise_style(style: Union[str, dict]) -> dict:
    """``'gauss25'`` or ``dict(type='gauss', sigma=25)`` -> a checked dict.

    Raises:
        ValueError: unknown style, missing or out-of-range parameter.
    """
    if isinstance(style, str):
        text = style.strip()
        m = _COMPACT.match(text)
        r = _COMPACT_RANGE.match(text)
        if r and f'{r.group(1)}_range' in RANGE_STYLES:
            name = f'{r.group(1)}_range'
            key = STYLES[RANGE_STYLES[name]][0]
            style = {
                'type': name,
                f'{key}_min': float(r.group(2)),
                f'{key}_max': float(r.group(3))
            }
        elif m and m.group(1) in STYLES:
            name, value = m.group(1), float(m.group(2))
            style = {'type': name, STYLES[name][0]: value}
        else:
            raise ValueError(
                f'noise style {style!r}: expected one of {sorted(STYLES)} '
                'followed by its parameter, e.g. gauss25, poisson30, '
                'bernoulli0.3, saltpepper0.1, impulse0.3, or a range '
                'gaussA_B / poissonA_B (a level per image from U[A, B])')
    if isinstance(style, dict) and style.get('type') in RANGE_STYLES:
        return _parse_range(style)
    if not isinstance(style, dict) or style.get('type') not in STYLES:
        raise ValueError(f'noise style {style!r}: type must be one of '
                         f'{sorted(STYLES) + sorted(RANGE_STYLES)}')
    key, text, check = STYLES[style['type']]
    extra = set(style) - {'type', key}
    if extra or key not in style:
        raise ValueError(f'noise style {style!r}: takes exactly {key!r}')
    value = style[key]
    if not isinstance(value, (int, float)) or not check(float(value)):
        raise ValueError(f'noise style {style!r}: needs {text}')
    return {'type': style['type'], key: float(value)}


def add_image_noise(img: np.ndarray, style: Union[str, dict],
                    rng: np.random.Generator) -> np.ndarray:
    """Corrupt a float image in [0, 1] with ``style``; float32 result."""
    style = parse_noise_style(style)
    if style['type'] in RANGE_STYLES:
        base = RANGE_STYLES[style['type']]
        key = STYLES[base][0]
        level = rng.uniform(style[f'{key}_min'], style[f'{key}_max'])
        style = {'type': base, key: float(level)}
    x = np.asarray(img, dtype=np.float32)
    kind = style['type']
    if kind == 'gauss':
        noisy = x + rng.standard_normal(
            x.shape, dtype=np.float32) * (
                style['sigma'] / 255.0)
    elif kind == 'poisson':
        lam = style['lam']
        noisy = rng.poisson(lam * np.clip(x, 0, None)) / lam
    elif kind == 'bernoulli':
        noisy = x * (rng.random(x.shape) < style['p'])
    elif kind == 'saltpepper':
        u = rng.random(x.shape)
        noisy = x.copy()
        noisy[u < style['p']] = 0.0
        noisy[(u >= style['p']) & (u < 2 * style['p'])] = 1.0
    else:  # impulse
        hit = rng.random(x.shape) < style['p']
        noisy = np.where(hit, rng.random(x.shape), x)
    return noisy.astype(np.float32)


@TRANSFORMS.register_module()
class AddImageNoise(BaseTransform):
    """Add pixel noise to ``results['img']`` (float in [0, 1]).

    Writes ``noisy`` and, with ``num_copies=2`` (noise2noise), an
    independent second draw ``noisy2``; ``img`` stays the clean image.

    Args:
        style (str | dict): See :func:`parse_noise_style`.
        num_copies (int): 1, or 2 for noise2noise. Defaults to 1.
        seed (int, optional): None draws fresh noise at every call
            (training). An int makes the noise a function of ``(seed,
            sample_idx)``: the same image gets the same noise in every
            evaluation. Defaults to None.
    """

    def __init__(self,
                 style: Union[str, dict],
                 num_copies: int = 1,
                 seed: Optional[int] = None):
        self.style = parse_noise_style(style)
        if num_copies not in (1, 2):
            raise ValueError(f'num_copies must be 1 or 2, got {num_copies!r}')
        self.num_copies = num_copies
        self.seed = seed
        self._rng = np.random.default_rng()

    def transform(self, results: dict) -> dict:
        """Add ``noisy`` (and ``noisy2``) to ``results``."""
        img = results['img']
        if self.seed is None:
            rng = self._rng
        else:
            rng = np.random.default_rng(
                [self.seed, int(results.get('sample_idx', 0))])
        results['noisy'] = add_image_noise(img, self.style, rng)
        if self.num_copies == 2:
            results['noisy2'] = add_image_noise(img, self.style, rng)
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(style={self.style}, num_copies='
                f'{self.num_copies}, seed={self.seed})')
