# Copyright (c) lnl_mm contributors. All rights reserved.
"""Class-dependent flips: ``pairflip`` and ``asymmetric`` with class maps.

Named class maps:

* ``mnist``: 7→1, 2→7, 5→6, 6→5, 3→8 (ALFs, APL).
* ``cifar10``: truck 9→1 automobile, bird 2→0 airplane, cat 3→5 dog,
  dog 5→3 cat, deer 4→7 horse (ALFs, APL, SLN, Dynamic Loss), listed in the
  order the official code processes them.
* ``cifar100_block5``: blocks of five consecutive indices (0–4, 5–9, ...),
  ``i → i + 1`` inside a block and the last to the first (ALFs / APL
  "superclass" noise; the blocks are *not* the real CIFAR-100 superclasses,
  trap 7).
* ``cifar100_next``: ``i → (i + 1) mod C`` over all classes (SLN).
"""
from typing import Dict, Optional, Sequence, Union

import numpy as np

from .registry import check_labels, check_rate, register_noise
from .symmetric import (check_exact, exact_per_class_selection,
                        per_sample_selection)

_FIXED_MAPS = {
    'mnist': {
        7: 1,
        2: 7,
        5: 6,
        6: 5,
        3: 8
    },
    'cifar10': {
        9: 1,
        2: 0,
        3: 5,
        5: 3,
        4: 7
    },
}
CLASS_MAPS = ('mnist', 'cifar10', 'cifar100_block5', 'cifar100_next')


def normalize_class_map(class_map, classes: Optional[Sequence[str]] = None):
    """A class map as the noise generators take it: a name of
    :data:`CLASS_MAPS` unchanged, anything else an ``{int: int}`` dict.

    Accepts, besides a name and a dict of indices:

    * the text of a dict, as ``--cfg-options`` delivers it:
      ``noise.class_map="{3:5,9:1}"`` (MMEngine's ``DictAction`` splits it
      at the commas; the pieces are joined again), quotes optional;
    * class names for keys or values (``{cat: dog}``), looked up in
      ``classes``, the dataset's class names.

    Args:
        class_map (str | dict | list): The map.
        classes (Sequence[str], optional): Class names, by index.

    Returns:
        str | dict: A map name, or ``{source index: target index}``.
    """
    if isinstance(class_map, (list, tuple)) and all(
            isinstance(p, str) for p in class_map):
        class_map = ','.join(class_map)  # DictAction split the text
    if isinstance(class_map, str) and class_map.strip().startswith('{'):
        class_map = _parse_map_text(class_map)
    if not isinstance(class_map, dict):
        return class_map
    names = list(classes) if classes is not None else None

    def index(value):
        text = value.strip() if isinstance(value, str) else None
        if (text is not None and text.isdigit() and names is not None
                and text in names and names.index(text) != int(text)):
            raise ValueError(
                f'noise.class_map: {value!r} is ambiguous: class index '
                f'{int(text)} or the class named {text!r} (index '
                f'{names.index(text)}); the folder names of a '
                'CustomDataset sort as text. Use the index as a number in '
                'a dict, or rename the classes')
        if isinstance(value, str) and not value.strip().isdigit():
            if names is None or value.strip() not in names:
                raise ValueError(
                    f'noise.class_map: {value!r} is neither a class index '
                    'nor a class name of the dataset' +
                    (f' (its classes: {names})'
                     if names is not None else ' (it has no class names)'))
            return names.index(value.strip())
        return _class_index(class_map, value)

    return {index(k): index(v) for k, v in class_map.items()}


def _parse_map_text(text: str) -> dict:
    """``'{3:5, 9:1}'`` or ``"{'cat': 'dog'}"`` -> a dict of strings."""
    body = text.strip()
    if not body.endswith('}'):
        raise ValueError(f'noise.class_map={text!r}: expected {{source: '
                         'target, ...}')
    out = {}
    for item in filter(None, (p.strip() for p in body[1:-1].split(','))):
        source, sep, target = item.partition(':')
        if not sep:
            raise ValueError(f'noise.class_map={text!r}: {item!r} is not '
                             'source: target')
        out[source.strip().strip('\'"')] = target.strip().strip('\'"')
    return out


def resolve_class_map(class_map: Union[str, Dict[int, int]],
                      num_classes: int) -> Dict[int, int]:
    """Turn a class-map name or an explicit dict into ``{source: target}``.

    Args:
        class_map (str | dict): One of :data:`CLASS_MAPS` or a dict.
        num_classes (int): Number of classes C.

    Returns:
        dict: Source class → target class, in processing order.
    """
    if isinstance(class_map, str) and class_map.strip().startswith('{'):
        class_map = normalize_class_map(class_map)
    if isinstance(class_map, str):
        if class_map in _FIXED_MAPS:
            mapping = dict(_FIXED_MAPS[class_map])
        elif class_map == 'cifar100_block5':
            if num_classes % 5:
                raise ValueError(
                    'noise.class_map=cifar100_block5 needs num_classes '
                    f'divisible by 5, got num_classes={num_classes}')
            mapping = {
                i: (i // 5) * 5 + (i + 1) % 5
                for i in range(num_classes)
            }
        elif class_map == 'cifar100_next':
            mapping = {i: (i + 1) % num_classes for i in range(num_classes)}
        else:
            raise ValueError(f'Unknown class map: noise.class_map='
                             f'{class_map!r}. Valid maps: {list(CLASS_MAPS)} '
                             'or a dict {source: target} of class indices '
                             'or names (on the command line: '
                             'noise.class_map="{3:5,9:1}")')
    elif isinstance(class_map, (dict, list, tuple)):
        class_map = normalize_class_map(class_map)
        if not class_map:
            raise ValueError('noise.class_map={} maps no class: no label '
                             'would change; give {source: target} pairs')
        mapping = {
            _class_index(class_map, k): _class_index(class_map, v)
            for k, v in class_map.items()
        }
    else:
        raise TypeError('noise.class_map must be a name or a dict, got '
                        f'{type(class_map).__name__}')
    for s, t in mapping.items():
        if not (0 <= s < num_classes and 0 <= t < num_classes):
            raise ValueError(
                f'noise.class_map={class_map!r} maps {s}→{t}, outside '
                f'[0, num_classes={num_classes})')
        if s == t:
            raise ValueError(f'noise.class_map maps class {s} to itself')
    return mapping


def _class_index(class_map: dict, value) -> int:
    """A class index of a class-map dict: an int, or a string of digits
    (``--cfg-options`` may deliver keys as strings)."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    raise ValueError(
        f'noise.class_map={class_map!r}: {value!r} is not a class index; '
        'the map takes class indices {source: target} (e.g. {3: 5} for '
        'CIFAR-10 cat -> dog), or class names when the dataset has them')


def _flip_exact(labels: np.ndarray,
                num_classes: int,
                mapping: Dict[int, int],
                rate: float,
                rng: np.random.Generator,
                exact: bool = True) -> np.ndarray:
    """Flip exactly ``floor(rate * n_s)`` samples of each source class, or
    (``exact=False``) each of its samples with probability ``rate``."""
    noisy = labels.copy()
    idx = exact_per_class_selection(labels, num_classes, rate, rng) \
        if exact else per_sample_selection(labels, rate, rng)
    lut = np.arange(num_classes)
    for s, t in mapping.items():
        lut[s] = t
    noisy[idx] = lut[labels[idx]]
    return noisy


@register_noise('pairflip')
def pairflip(labels: np.ndarray, num_classes: int, rng: np.random.Generator, *,
             rate: float) -> np.ndarray:
    """Flip exactly ``floor(rate * n_c)`` labels of class c to ``(c+1) % C``.

    Args:
        labels (np.ndarray): Clean labels, shape (N,).
        num_classes (int): Number of classes C.
        rng (np.random.Generator): Random generator.
        rate (float): Noise rate in [0, 1) (in every class).

    Returns:
        np.ndarray: Noisy labels.
    """
    labels = check_labels(labels, num_classes)
    rate = check_rate(rate)
    mapping = {c: (c + 1) % num_classes for c in range(num_classes)}
    return _flip_exact(labels, num_classes, mapping, rate, rng)


@register_noise('asymmetric')
def asymmetric(labels: np.ndarray,
               num_classes: int,
               rng: np.random.Generator,
               *,
               rate: float,
               class_map: Union[str, Dict[int, int]],
               reselect: bool = False,
               exact: bool = True) -> np.ndarray:
    """Flip a fraction ``rate`` of every source class to its mapped class.

    Classes absent from the map are untouched. By default exactly
    ``floor(rate * n_s)`` samples of each source class ``s`` (chosen by
    their *clean* label) are flipped, so the realised rate of every source
    class is exactly ``rate`` and no label flips back.

    Args:
        labels (np.ndarray): Clean labels, shape (N,).
        num_classes (int): Number of classes C.
        rng (np.random.Generator): Random generator.
        rate (float): Noise rate in [0, 1) of each source class.
        class_map (str | dict): A name of :data:`CLASS_MAPS` or a dict.
        reselect (bool): Reproduce the official ALFs / APL CIFAR-10 quirk:
            sources are processed in map order and ``int(rate * n)`` samples
            are chosen among the samples that *currently* carry the source
            label, including samples flipped into it by an earlier source
            (cat→dog then dog→cat flips some cats back). With the
            ``cifar10`` map at rate 0.4 this gives ≈ 0.24 noise on cats and
            an overall rate ≈ 0.184 instead of 0.2. Defaults to False.
        exact (bool): Exactly ``floor(rate * n_s)`` samples per source class
            (default), or each of them independently with probability
            ``rate`` (the per-sample draws of the official asymmetric MNIST
            and CIFAR-100 code). ``reselect`` needs exact counts.

    Returns:
        np.ndarray: Noisy labels.
    """
    labels = check_labels(labels, num_classes)
    rate = check_rate(rate)
    if not isinstance(reselect, (bool, np.bool_)):
        raise TypeError(f'noise.reselect must be True or False, got '
                        f'noise.reselect={reselect!r}')
    exact = check_exact(exact)
    if reselect and not exact:
        raise ValueError('noise.reselect=True re-selects exact counts; it '
                         'cannot be combined with noise.exact=False')
    mapping = resolve_class_map(class_map, num_classes)
    if not reselect:
        return _flip_exact(labels, num_classes, mapping, rate, rng, exact)
    noisy = labels.copy()
    for s, t in mapping.items():
        current = np.flatnonzero(noisy == s)
        k = int(rate * current.size)
        noisy[rng.choice(current, size=k, replace=False)] = t
    return noisy
