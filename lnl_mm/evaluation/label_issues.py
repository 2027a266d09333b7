# Copyright (c) lnl_mm contributors. All rights reserved.
r"""Scores of how likely each training label is wrong, and how well a score
finds the wrong ones.

* **AUM**, the area under the margin (`Identifying Mislabeled Data using the
  Area Under the Margin Ranking <https://arxiv.org/abs/2001.10528>`_, Pleiss
  et al., NeurIPS 2020): the margin of sample :math:`i` at epoch :math:`t`
  is its given label's logit minus the largest other logit,
  :math:`M_t(i) = z_{t, \tilde y_i} - \max_{k \ne \tilde y_i} z_{t, k}`, on
  the training forward that sees it; :math:`\mathrm{AUM}(i) = \frac1T
  \sum_t M_t(i)`. A wrong label is learnt late, if at all, so its AUM is
  low. :class:`~lnl_mm.engine.hooks.TrainingDynamicsHook` records the
  margins (``margin`` in ``dynamics/epoch_<E>.npz``).
* **Detection quality** against known clean labels (synthetic noise):
  precision and recall of a flagged set, and the AUROC of a score (the
  probability that a wrong label scores above a right one, ties counting
  one half).
"""
from typing import Dict, Sequence, Tuple

import numpy as np


def aligned_records(
    records: Dict[int, dict]
) -> Tuple[np.ndarray, Dict[int, Dict[str, np.ndarray]]]:
    """The per-epoch records with every array in one order, that of
    ascending ``sample_idx``.

    Args:
        records (dict[int, dict]): ``{epoch: record}`` as
            :func:`~lnl_mm.evaluation.load_epoch_records` reads them.

    Returns:
        tuple[np.ndarray, dict]: ``sample_idx`` (sorted) and ``{epoch:
        {key: array}}``, every array of a record in that order.

    Raises:
        ValueError: No records, an epoch that records other samples than
            the first, or a record whose arrays differ in length.
    """
    if not records:
        raise ValueError('aligned_records: no records')
    idx = None
    aligned = {}
    for epoch, rec in sorted(records.items()):
        ids = np.asarray(rec['sample_idx'])
        order = np.argsort(ids, kind='stable')
        if idx is None:
            idx = ids[order]
        elif not np.array_equal(ids[order], idx):
            raise ValueError(f'aligned_records: epoch {epoch} records '
                             'other samples than the first epoch')
        uneven = [k for k, v in rec.items() if np.shape(v)[:1] != ids.shape]
        if uneven:
            raise ValueError(f'aligned_records: epoch {epoch}: {uneven} are '
                             f'not as long as sample_idx ({ids.size})')
        aligned[epoch] = {k: np.asarray(v)[order] for k, v in rec.items()}
    return idx, aligned


def area_under_margin(
        records: Dict[int, dict]) -> Tuple[np.ndarray, np.ndarray, int]:
    """The AUM of every recorded sample.

    Args:
        records (dict[int, dict]): ``{epoch: record}`` as
            :func:`~lnl_mm.evaluation.load_epoch_records` reads them.

    Returns:
        tuple[np.ndarray, np.ndarray, int]: ``sample_idx`` (sorted), the AUM
        in that order (float64), and the number of epochs averaged.
    """
    if not records:
        raise ValueError('area_under_margin: no records')
    for epoch, rec in sorted(records.items()):
        if 'margin' not in rec:
            raise KeyError(
                f'area_under_margin: the record of epoch {epoch} has no '
                'margin (written by an older lnl_mm): re-run training')
    idx, aligned = aligned_records(records)
    total = sum(
        np.asarray(rec['margin'], dtype=np.float64)
        for rec in aligned.values())
    return idx, total / len(aligned), len(aligned)


#: A sample is worse than the threshold samples when more than this share
#: of them has a larger AUM: below their 99th percentile (the official
#: AUM_WTR rule).
THRESHOLD_SHARE = 0.01


def worse_than_threshold_samples(aum: np.ndarray,
                                 threshold_aum: np.ndarray,
                                 share: float = THRESHOLD_SHARE) -> np.ndarray:
    """Flag the samples whose AUM is lower than that of the threshold
    samples, Pleiss et al.'s rule: more than ``share`` of the threshold
    samples have a strictly larger AUM.

    Args:
        aum (np.ndarray): ``(N,)`` AUM of the samples to judge.
        threshold_aum (np.ndarray): ``(M,)`` AUM of the threshold samples
            of the same run.
        share (float): Defaults to :data:`THRESHOLD_SHARE` (0.01).

    Returns:
        np.ndarray: ``(N,)`` bool, flagged.
    """
    threshold_aum = np.sort(np.asarray(threshold_aum, dtype=np.float64))
    if threshold_aum.size == 0:
        raise ValueError('worse_than_threshold_samples: no threshold sample')
    if not 0 <= share < 1:
        raise ValueError(f'share must be in [0, 1), got share={share}')
    aum = np.asarray(aum, dtype=np.float64)
    larger = threshold_aum.size - np.searchsorted(
        threshold_aum, aum, side='right')
    return larger / threshold_aum.size > share


def combine_threshold_runs(
        flags: Sequence[np.ndarray],
        judged: Sequence[np.ndarray]) -> Tuple[np.ndarray, np.ndarray]:
    """The verdict over runs with different threshold samples, as the
    official retraining reads it: a sample is flagged when every run that
    judged it (it was not one of its threshold samples) flagged it.

    Args:
        flags (list[np.ndarray]): ``(N,)`` bool per run.
        judged (list[np.ndarray]): ``(N,)`` bool per run, the sample was
            not a threshold sample of that run.

    Returns:
        tuple[np.ndarray, np.ndarray]: ``flagged`` and ``judged`` (by at
        least one run), ``(N,)`` bool each.
    """
    if len(flags) != len(judged) or not flags:
        raise ValueError('combine_threshold_runs: one flag and one judged '
                         f'array per run, got {len(flags)} and {len(judged)}')
    flags = np.stack([np.asarray(f, bool) for f in flags])
    judged = np.stack([np.asarray(j, bool) for j in judged])
    any_judged = judged.any(axis=0)
    flagged = any_judged & (flags | ~judged).all(axis=0)
    return flagged, any_judged


def auroc(scores: np.ndarray, positive: np.ndarray) -> float:
    """``P(score of a positive > score of a negative)``, ties one half (the
    Mann-Whitney statistic, by average ranks)."""
    scores = np.asarray(scores, dtype=np.float64)
    positive = np.asarray(positive, dtype=bool)
    n_pos = int(positive.sum())
    n_neg = positive.size - n_pos
    if n_pos == 0 or n_neg == 0:
        raise ValueError('auroc: needs positives and negatives, got '
                         f'{n_pos} and {n_neg}')
    order = np.argsort(scores, kind='mergesort')
    ranks = np.empty(scores.size)
    sorted_scores = scores[order]
    # average ranks (1-based) over runs of equal scores
    starts = np.flatnonzero(np.r_[True,
                                  sorted_scores[1:] != sorted_scores[:-1]])
    ends = np.r_[starts[1:], scores.size]
    for a, b in zip(starts, ends):
        ranks[order[a:b]] = (a + b + 1) / 2.0
    return float(
        (ranks[positive].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def detection_metrics(scores: np.ndarray, flagged: np.ndarray,
                      is_noisy: np.ndarray) -> Dict[str, float]:
    """How well ``flagged`` (a boolean mask) and ``scores`` (higher = more
    suspicious) find the wrong labels ``is_noisy``: precision and recall of
    the flagged set, AUROC of the score, and the counts."""
    flagged = np.asarray(flagged, dtype=bool)
    is_noisy = np.asarray(is_noisy, dtype=bool)
    hits = int((flagged & is_noisy).sum())
    return dict(
        num_samples=int(is_noisy.size),
        num_noisy=int(is_noisy.sum()),
        num_flagged=int(flagged.sum()),
        precision=hits / int(flagged.sum()) if flagged.any() else float('nan'),
        recall=hits / int(is_noisy.sum()) if is_noisy.any() else float('nan'),
        auroc=auroc(scores, is_noisy))


def fix_effect(given: np.ndarray, suggested: np.ndarray, flagged: np.ndarray,
               clean: np.ndarray) -> Dict[str, float]:
    """What replacing the flagged labels by the suggested ones does, against
    the known clean labels: the wrong labels before and after
    (``wrong_before`` / ``wrong_after``, counts and ``*_rate`` shares),
    the wrong labels it corrects (``corrected``: flagged, and the
    suggestion is the clean label) and the right labels it breaks
    (``broken``: flagged, right, replaced)."""
    given, suggested, clean = (
        np.asarray(a) for a in (given, suggested, clean))
    flagged = np.asarray(flagged, dtype=bool)
    fixed = np.where(flagged, suggested, given)
    n = max(given.size, 1)
    before, after = int((given != clean).sum()), int((fixed != clean).sum())
    return dict(
        wrong_before=before,
        wrong_before_rate=before / n,
        wrong_after=after,
        wrong_after_rate=after / n,
        corrected=int((flagged & (given != clean) & (fixed == clean)).sum()),
        broken=int((flagged & (given == clean) & (fixed != clean)).sum()))
