# Copyright (c) lnl_mm contributors. All rights reserved.
"""SLN's label correction (LC): new soft targets from a model's predictions."""
from typing import Tuple

import torch
import torch.nn.functional as F

LC_MODES = ('hard', 'soft')


def minmax_normalize(values: torch.Tensor) -> torch.Tensor:
    """``(v - min) / (max - min)`` over the whole vector.

    When all values are equal (``max == min``) the result is all ones, i.e.
    every sample keeps its given label, instead of the 0 / 0 = NaN of a
    literal implementation.
    """
    lo, hi = values.min(), values.max()
    if hi <= lo:
        return torch.ones_like(values)
    return (values - lo) / (hi - lo)


def sln_label_correction(
        logits: torch.Tensor,
        targets: torch.Tensor,
        given: torch.Tensor,
        mode: str = 'hard') -> Tuple[torch.Tensor, torch.Tensor]:
    r"""Label correction of SLN-MO-LC over a whole training set.

    `Noise against noise <https://openreview.net/forum?id=80FMcTSZ6J0>`_
    (ICLR 2021), ``noise_cifar_train.py`` / ``noise_clothing1m_train.py``.

    .. math::
        \ell_i = -\sum_k t_{ik} \log p_{ik}, \quad
        l_i = \frac{\ell_i - \min_j \ell_j}{\max_j \ell_j - \min_j \ell_j},
        \quad t_i^{new} = l_i \, e_{\tilde y_i} + (1 - l_i) \, q_i

    with ``p`` the softmax of ``logits`` (the momentum model's predictions),
    ``t`` the current targets and ``q_i = onehot(argmax_k p_ik)`` (``hard``,
    the CIFAR setting) or ``q_i = p_i`` (``soft``, the Clothing1M setting).
    Low-loss samples move towards the prediction, high-loss samples keep
    their given label ``y~`` -- the direction of the official code. Every
    row of the result sums to 1 (when the rows of ``targets`` do).

    Args:
        logits (Tensor): ``(N, C)`` logits of the whole training set.
        targets (Tensor): ``(N, C)`` current targets (one-hot given labels
            before the first correction, the previous soft targets after,
            or the given labels again for the Clothing1M variant).
        given (Tensor): ``(N,)`` given (noisy) labels.
        mode (str): ``'hard'`` or ``'soft'``. Defaults to ``'hard'``.

    Returns:
        tuple[Tensor, Tensor]: The new ``(N, C)`` targets and the normalised
        losses ``l`` ``(N,)``, both float32 (computed in float64).
    """
    if mode not in LC_MODES:
        raise ValueError(f'label correction mode must be one of {LC_MODES}, '
                         f'got mode={mode!r}')
    if logits.dim() != 2 or targets.shape != logits.shape or \
            given.shape != logits.shape[:1]:
        raise ValueError(
            f'label correction: logits {tuple(logits.shape)}, targets '
            f'{tuple(targets.shape)} and given {tuple(given.shape)} must be '
            '(N, C), (N, C) and (N,)')
    logp = F.log_softmax(logits.double(), dim=1)
    loss = -(targets.double() * logp).sum(dim=1)
    weight = minmax_normalize(loss)
    num_classes = logits.size(1)
    if mode == 'hard':
        pred = F.one_hot(logp.argmax(dim=1), num_classes).double()
    else:
        pred = logp.exp()
    onehot = F.one_hot(given.long(), num_classes).double()
    new = weight[:, None] * onehot + (1 - weight[:, None]) * pred
    return new.float(), weight.float()
