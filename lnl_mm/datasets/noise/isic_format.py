# Copyright (c) lnl_mm contributors. All rights reserved.
"""The ISIC 2019 ground-truth file format (pure NumPy): the official CSV and
the reweighting seed's header-less and marked variants."""
import csv
import os.path as osp
from typing import List, NamedTuple, Tuple

import numpy as np

#: Column order of ``ISIC_2019_Training_GroundTruth.csv``.
ISIC2019_COLUMNS = ('MEL', 'NV', 'BCC', 'AK', 'BKL', 'DF', 'VASC', 'SCC',
                    'UNK')


class ISICRow(NamedTuple):
    """One row of an ISIC ground-truth file."""
    line: int  #: 1-based line number in the file
    image: str
    onehot: np.ndarray  #: the 9 label columns
    marks: Tuple[int, ...]  #: the seed's leading marks (see below)


def read_isic_rows(path: str) -> Tuple[bool, List[ISICRow]]:
    """Parse an ISIC ground-truth file: ``(has_header, rows)``.

    Reads the official CSV (header ``image,MEL,...,UNK``) and, as they are,
    the header-less files of the reweighting seed: rows ``image,<9 values>``
    (its splits and clean set), ``<mark> image,...`` (``marked*``: 1 noisy,
    0 clean) and ``<mark> <class> image,...`` (``markedgiven*``: 1 and the
    original class index of a flipped row, ``0 0`` for an unchanged one).
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'ann_file={path!r} does not exist (ISIC2019)')
    with open(path, newline='') as f:
        lines = [r for r in csv.reader(f)]
    numbered = [(i, r) for i, r in enumerate(lines, start=1) if r]
    if not numbered:
        raise ValueError(f'ann_file={path!r} is empty')
    has_header = numbered[0][1][0].strip() == 'image'
    if has_header:
        expected = ['image', *ISIC2019_COLUMNS]
        if numbered[0][1] != expected:
            raise ValueError(
                f'ann_file={path!r}: header {numbered[0][1]} differs from '
                f'the ISIC 2019 ground truth {expected}')
        numbered = numbered[1:]
    rows = []
    for line, row in numbered:
        tokens = row[0].split()
        if not tokens or len(tokens) > 3 or len(
                row) != 1 + len(ISIC2019_COLUMNS):
            raise ValueError(f'{path}:{line}: expected [marks] image and '
                             f'{len(ISIC2019_COLUMNS)} label values')
        try:
            marks = tuple(int(t) for t in tokens[:-1])
            onehot = np.array([float(v) for v in row[1:]])
        except ValueError:
            raise ValueError(f'{path}:{line}: marks and label values must '
                             f'be numbers, got {row!r}') from None
        rows.append(ISICRow(line, tokens[-1], onehot, marks))
    return has_header, rows


def read_isic_csv(path: str) -> Tuple[List[str], List[List[str]]]:
    """The header and the ``[image, values...]`` rows of an ISIC file (the
    official header for a header-less file; marks dropped)."""
    _, rows = read_isic_rows(path)
    header = ['image', *ISIC2019_COLUMNS]
    return header, [[r.image, *[repr(float(v)) for v in r.onehot]]
                    for r in rows]


def row_label(path: str, row: ISICRow) -> int:
    """The class index of a one-hot row (a clear error otherwise)."""
    if row.onehot.size != len(ISIC2019_COLUMNS) or \
            not np.isclose(row.onehot.sum(), 1.0) or \
            not np.isin(row.onehot, (0.0, 1.0)).all():
        raise ValueError(f'{path}:{row.line}: not a one-hot row')
    return int(row.onehot.argmax())


def seed_clean_label(path: str, row: ISICRow) -> int:
    """The clean class of a ``markedgiven`` row: the original class of a
    flipped row (mark 1), the row's own label otherwise (mark 0)."""
    if len(row.marks) != 2 or row.marks[0] not in (0, 1):
        raise ValueError(
            f'{path}:{row.line}: the clean label needs the seed\'s '
            f'markedgiven format "<0|1> <class> image,...", got marks '
            f'{row.marks}')
    return row.marks[1] if row.marks[0] == 1 else row_label(path, row)
