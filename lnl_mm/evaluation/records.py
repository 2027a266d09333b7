# Copyright (c) lnl_mm contributors. All rights reserved.
"""Per-sample training records (one per epoch) and what is derived from
them: sample dissection and the model's confusion on the training set.

A record is a dict of equally long arrays: ``sample_idx``, ``pred``,
``prob_given`` (probability of the given label), ``loss``, ``margin`` (the
given label's logit minus the largest other logit, the margin of AUM),
``given`` and, when the clean labels are known, ``clean`` (``-1`` for
open-set images). Records written before ``margin`` existed lack it.
:class:`~lnl_mm.engine.hooks.TrainingDynamicsHook` writes them to
``<work_dir>/dynamics/epoch_<E>.npz``.
"""
import glob
import os.path as osp
import re
from typing import Dict, Optional

import numpy as np

from .dynamics import per_sample_ce

RECORD_KEYS = ('sample_idx', 'pred', 'prob_given', 'loss', 'given')


def make_record(sample_idx: np.ndarray,
                logits: np.ndarray,
                given: np.ndarray,
                clean: Optional[np.ndarray] = None) -> dict:
    """The per-sample record of ``logits`` (the layout and dtypes of
    ``dynamics/epoch_<E>.npz``): prediction, probability of the given label,
    CE against it, the margin of the given label, and the labels."""
    z = logits - logits.max(axis=1, keepdims=True)
    prob = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    rows = np.arange(len(given))
    others = np.array(logits, dtype=np.float64)
    others[rows, given] = -np.inf
    record = dict(
        sample_idx=sample_idx,
        pred=logits.argmax(axis=1).astype(np.int32),
        prob_given=prob[rows, given].astype(np.float32),
        loss=per_sample_ce(logits, given).astype(np.float32),
        margin=(logits[rows, given] - others.max(axis=1)).astype(np.float32),
        given=given.astype(np.int32))
    if clean is not None:
        record['clean'] = clean.astype(np.int32)
    return record


def load_epoch_records(work_dir: str) -> Dict[int, dict]:
    """Read ``<work_dir>/dynamics/epoch_<E>.npz`` into ``{E: record}``."""
    files = glob.glob(osp.join(work_dir, 'dynamics', 'epoch_*.npz'))
    if not files:
        raise FileNotFoundError(
            f'no per-epoch records in {osp.join(work_dir, "dynamics")}: train '
            'with TrainingDynamicsHook(save_per_sample=True) (the default '
            'runtime has it) or pass --checkpoint')
    records = {}
    for path in files:
        epoch = int(re.search(r'epoch_(\d+)\.npz$', path).group(1))
        with np.load(path, allow_pickle=False) as data:
            missing = [k for k in RECORD_KEYS if k not in data]
            if missing:
                raise KeyError(f'{path} lacks {missing}: it was written by an '
                               'older lnl_mm; re-run training')
            records[epoch] = {k: data[k] for k in data.files}
    return dict(sorted(records.items()))


def sample_dissection(record: dict) -> Dict[str, Optional[float]]:
    """Shares of noisy and clean samples by what the model predicts.

    Noisy samples (given != clean) are *memorised* (predict the given,
    wrong label), *corrected* (predict the clean label) or *other*; clean
    samples are *fit* (predict their label) or *other*. Each group's shares
    sum to 1; a share is None when its group is empty.
    """
    if 'clean' not in record:
        raise KeyError('sample dissection needs the clean labels (a '
                       'NoisyLabelDataset training set)')
    pred, given, clean = record['pred'], record['given'], record['clean']
    noisy = given != clean
    out = dict(num_noisy=int(noisy.sum()), num_clean=int((~noisy).sum()))

    def share(mask, group):
        return float(mask[group].mean()) if group.any() else None

    memorised, corrected = pred == given, pred == clean
    out.update(
        noisy_memorized=share(memorised, noisy),
        noisy_corrected=share(corrected, noisy),
        noisy_other=share(~memorised & ~corrected, noisy),
        clean_fit=share(memorised, ~noisy),
        clean_other=share(~memorised, ~noisy))
    return out


def confusion(rows: np.ndarray, cols: np.ndarray,
              num_classes: int) -> np.ndarray:
    """Row-normalised confusion ``P(col | row)``; rows < 0 are ignored and
    empty rows are all zero."""
    keep = rows >= 0
    counts = np.zeros((num_classes, num_classes), dtype=np.float64)
    np.add.at(counts, (rows[keep], cols[keep]), 1)
    totals = counts.sum(axis=1, keepdims=True)
    return np.divide(
        counts, totals, out=np.zeros_like(counts), where=totals > 0)
