# Copyright (c) lnl_mm contributors. All rights reserved.
"""Noisy labels read from a file, checked against the clean labels.

Supported formats:

* CIFAR-N ``.pt`` (``CIFAR-10_human.pt``, ``CIFAR-100_human.pt``): a dict;
  ``key`` is one of ``aggre_label``, ``worse_label``, ``random_label1..3``
  (CIFAR-10N) or ``noisy_label`` (CIFAR-100N; ``noise_label`` is accepted as
  its alias, the name used in the ``_ordered.npy`` files). If the file holds
  ``clean_label``, it must equal the dataset's clean labels (alignment).
* SLN ``.csv`` with header ``label,label_noisy``; the ``label`` column must
  equal the clean labels.
* ISIC ``.csv`` (the ground-truth format, with or without its header, as
  the reweighting seed writes it): the row's one-hot label is the noisy
  label; the seed's ``markedgiven`` rows also give the clean label, which
  must equal the dataset's.
* plain ``.npy`` holding an integer array, or a pickled dict (read through
  the allowlist of :mod:`.safe_load`) with ``key``.
"""
import csv
import os.path as osp
from typing import Optional

import numpy as np

from .isic_format import read_isic_rows, row_label, seed_clean_label
from .registry import check_labels, register_noise
from .safe_load import load_npy, load_torch_zip

#: Keys accepted as synonyms (CIFAR-100N spells it both ways).
KEY_ALIASES = {'noise_label': 'noisy_label', 'noisy_label': 'noise_label'}
CIFARN_KEYS = ('aggre_label', 'worse_label', 'random_label1', 'random_label2',
               'random_label3', 'noisy_label', 'noise_label', 'clean_label')


def _csv_int(path: str, row: int, column: str, cell: str) -> int:
    """One label cell of a CSV file; ``row`` counts the header as row 1."""
    text = (cell or '').strip()
    try:
        return int(text)
    except ValueError:
        pass
    raise ValueError(f'{path}, row {row}, column {column!r}: {cell!r} is not '
                     'an integer class index')


def _read_csv(path: str, column: str):
    with open(path, newline='') as f:
        reader = csv.DictReader(f)
        fields = reader.fieldnames or []
        if column not in fields:
            raise ValueError(f'{path}: no column noise.column={column!r}; '
                             f'columns are {fields}')
        rows = list(reader)
    if not rows:
        raise ValueError(f'{path}: no label rows after the header')
    columns = [column] + (['label'] if 'label' in fields else [])
    values = {
        c:
        np.array([_csv_int(path, i + 2, c, r[c]) for i, r in enumerate(rows)],
                 dtype=np.int64)
        for c in columns
    }
    return values[column], values.get('label')


def _read_isic(path: str):
    _, rows = read_isic_rows(path)
    noisy = np.array([row_label(path, r) for r in rows], dtype=np.int64)
    if rows and len(rows[0].marks) == 2:
        clean = np.array([seed_clean_label(path, r) for r in rows],
                         dtype=np.int64)
        return noisy, clean
    return noisy, None


def _pick_key(obj: dict, key: Optional[str], path: str):
    if key is None:
        raise ValueError(f'{path} holds a dict with keys {sorted(obj)}: '
                         'set noise.key to one of them')
    if key not in obj and KEY_ALIASES.get(key) in obj:
        key = KEY_ALIASES[key]
    if key not in obj:
        raise KeyError(f'noise.key={key!r} is not in {path}; '
                       f'available keys: {sorted(obj)}')
    clean = obj.get('clean_label')
    return np.asarray(obj[key]), (None if clean is None else np.asarray(clean))


def read_label_file(path: str,
                    key: Optional[str] = None,
                    column: str = 'label_noisy'):
    """Read ``(noisy, clean_or_None)`` label arrays from a label file."""
    if not osp.isfile(path):
        raise FileNotFoundError(f'noise.path={path!r} does not exist')
    ext = osp.splitext(path)[1].lower()
    if ext == '.csv':
        with open(path, newline='') as f:
            first = f.readline()
        if first.startswith('label') or ',label' in first.split('\n')[0]:
            return _read_csv(path, column)
        return _read_isic(path)
    if ext in ('.pt', '.pth'):
        obj = load_torch_zip(path)
    elif ext == '.npy':
        obj = load_npy(path)
    else:
        raise ValueError(f'noise.path={path!r}: unsupported extension '
                         f'{ext!r} (use .pt, .npy or .csv)')
    if isinstance(obj, dict):
        return _pick_key(obj, key, path)
    if key is not None:
        raise ValueError(f'noise.key={key!r} given but {path} holds an '
                         'array, not a dict')
    return np.asarray(obj), None


@register_noise('from_file')
def from_file(labels: np.ndarray,
              num_classes: int,
              rng: np.random.Generator,
              *,
              path: str,
              key: Optional[str] = None,
              column: str = 'label_noisy') -> np.ndarray:
    """Load noisy labels from ``path`` (``rng`` is unused).

    Args:
        labels (np.ndarray): Clean labels, shape (N,), used for the length
            and alignment checks.
        num_classes (int): Number of classes C.
        rng (np.random.Generator): Unused; kept for the common signature.
        path (str): Label file (.pt, .npy or .csv).
        key (str, optional): Dict key for .pt / dict .npy files.
        column (str): Noisy-label column of a .csv file.
            Defaults to ``'label_noisy'`` (SLN files).

    Returns:
        np.ndarray: Noisy labels as int64.
    """
    labels = check_labels(labels, num_classes)
    noisy, clean = read_label_file(path, key, column)
    if noisy.ndim != 1:
        raise ValueError(f'noise.path={path!r} holds labels of shape '
                         f'{noisy.shape}; a label file holds one class index '
                         'per sample (a 1-D array)')
    if noisy.dtype.kind not in 'iuf':
        raise ValueError(f'noise.path={path!r} holds labels of dtype '
                         f'{noisy.dtype}; class indices must be integers')
    if noisy.size != labels.size:
        raise ValueError(
            f'noise.path={path!r} has {noisy.size} labels but the dataset '
            f'has {labels.size} samples')
    if clean is not None:
        clean = np.asarray(clean).reshape(-1)
        mismatch = np.flatnonzero(clean != labels)
        if mismatch.size:
            raise ValueError(
                f'noise.path={path!r} is misaligned with the dataset: its '
                f'clean labels differ at {mismatch.size} positions (first '
                f'at index {mismatch[0]}: file {clean[mismatch[0]]}, dataset '
                f'{labels[mismatch[0]]}); check the image order')
    if noisy.dtype.kind == 'f' and not np.all(np.mod(noisy, 1) == 0):
        bad = np.flatnonzero(np.mod(noisy, 1) != 0)[0]
        raise ValueError(f'noise.path={path!r} holds non-integer labels '
                         f'(first at index {bad}: {noisy[bad]})')
    noisy = noisy.astype(np.int64)
    if noisy.min() < 0 or noisy.max() >= num_classes:
        raise ValueError(
            f'noise.path={path!r} holds labels in [{noisy.min()}, '
            f'{noisy.max()}], outside [0, num_classes={num_classes})')
    return noisy
