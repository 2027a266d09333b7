# Copyright (c) lnl_mm contributors. All rights reserved.
"""Honest summaries of a run's clean-test accuracy history."""
from typing import Dict, List, Sequence, Tuple


def summarize_history(history: Sequence[Tuple[int, float]],
                      last_k: int) -> Dict:
    """Best-epoch, last-epoch and mean-of-last-k of ``(epoch, value)`` pairs.

    The best epoch is reported for information; it is chosen with the test
    labels, so it is an optimistic number and never the headline.

    Args:
        history: ``(epoch, value)`` in evaluation order.
        last_k (int): Window of the mean over the last evaluations (uses all
            of them when fewer exist).

    Returns:
        dict: ``best``, ``best_epoch``, ``last``, ``last_epoch``,
        ``mean_last_k``, ``std_last_k``, ``k`` and ``num_evaluations``.
    """
    if last_k < 1:
        raise ValueError(f'last_k must be >= 1, got last_k={last_k}')
    if not history:
        return dict(num_evaluations=0)
    values: List[float] = [float(v) for _, v in history]
    best_i = max(range(len(values)), key=values.__getitem__)
    window = values[-last_k:]
    mean = sum(window) / len(window)
    std = (sum((v - mean)**2 for v in window) / len(window))**0.5
    return dict(
        best=values[best_i],
        best_epoch=int(history[best_i][0]),
        last=values[-1],
        last_epoch=int(history[-1][0]),
        mean_last_k=mean,
        std_last_k=std,
        k=len(window),
        num_evaluations=len(values))
