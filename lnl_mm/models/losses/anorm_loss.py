# Copyright (c) lnl_mm contributors. All rights reserved.
"""The asymmetric norm loss (``ANormLoss`` of the ALFs code)."""
import math

import torch
from mmpretrain.registry import MODELS

from .utils import BaseClsLoss, LogitView, check_positive

#: The official code clamps the probabilities at 1e-5 before ``|.|^p``
#: (whose gradient is infinite at 0 for p < 1).
ANORM_MIN_PROB = 1e-5
LOG_ANORM_MIN_PROB = math.log(ANORM_MIN_PROB)


def anorm_loss(cls_score: torch.Tensor, target: torch.Tensor, a: float,
               p: float) -> torch.Tensor:
    """Per-sample ANL ``(sum_k |a e_y - p|_k^p - (a - 1)^p) / p``."""
    return _anorm(LogitView(cls_score, target), a, p)


def _anorm(view: LogitView, a: float, p: float) -> torch.Tensor:
    # clamp(p_k, 1e-5)^p as exp(p * max(log p_k, log 1e-5)): one exp over
    # the (N, C) log-probabilities, the same value and gradient as the
    # official clamp-then-pow
    log_prob = view.logp.clamp(min=LOG_ANORM_MIN_PROB)
    off = (p * log_prob).exp()  # |0 - p_k|^p, every class
    total = off.sum(dim=1)
    if not view.soft:
        p_y = view.pick(log_prob).exp()
        own = view.pick(off)
        return (total - own + (a - p_y).abs().pow(p) - (a - 1)**p) / p
    # soft targets: the expectation over labels of the loss of each label
    prob = log_prob.exp()
    per_label = total[:, None] - off + (a - prob).abs().pow(p)
    return (view.pick(per_label) - (a - 1)**p) / p


@MODELS.register_module()
class ANormLoss(BaseClsLoss):
    r"""Asymmetric norm loss.

    Shipped with `Asymmetric Loss Functions for Noise-tolerant Learning:
    Theory and Applications <https://arxiv.org/abs/2106.03110>`_ (the
    T-PAMI extension of the ICML 2021 paper; hitcszx/ALFs ``lnl/losses.py``,
    ``ANormLoss``): the ``p``-norm distance to the target scaled by ``a``,

    .. math::
        \mathrm{ANL}(z, y) = \frac{s}{p} \Big( \sum_k
            |a \, \mathbb{1}[k = y] - \tilde p_k|^p - (a - 1)^p \Big),
        \qquad \tilde p = \mathrm{clamp}(\mathrm{softmax}(z), 10^{-5}, 1)

    zero at the one-hot prediction (up to the clamp), as in the official
    code. The clamp is the official one (:data:`ANORM_MIN_PROB`).

    Args:
        a (float): Target scale, >= 1. Defaults to 1.5 (the official
            class default; the ALFs pairs use 2).
        p (float): Norm exponent, > 0. Defaults to 0.9.
        scale (float): ``s``. Defaults to 1.0.
        reduction (str): Defaults to ``'mean'``.
        loss_weight (float): Defaults to 1.0.
    """

    def __init__(self,
                 a: float = 1.5,
                 p: float = 0.9,
                 scale: float = 1.0,
                 reduction: str = 'mean',
                 loss_weight: float = 1.0):
        super().__init__(reduction, loss_weight)
        check_positive('ANormLoss', p=p, scale=scale)
        if not (isinstance(a, (int, float)) and 1 <= a < float('inf')):
            raise ValueError(f'ANormLoss: a must be a finite number >= 1, '
                             f'got {a!r}')
        self.a, self.p, self.scale = a, p, scale

    def elementwise(self, view: LogitView) -> torch.Tensor:
        return self.scale * _anorm(view, self.a, self.p)
