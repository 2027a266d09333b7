# Copyright (c) lnl_mm contributors. All rights reserved.
"""Generalized cross entropy (GCE) and normalized GCE (NGCE)."""
import math
from typing import Optional

import torch
from mmpretrain.registry import MODELS

from .normalized_grads import ngce_closed_form
from .utils import BaseClsLoss, LogitView, check_finite, check_positive

#: Probabilities are clamped at 1e-7 before ``p^q`` in the official GCE,
#: APL and ALFs code; the clamp also zeroes the (vanishing) gradient there.
MIN_PROB = 1e-7


def _pow_prob(logp: torch.Tensor, q: float, min_prob: float) -> torch.Tensor:
    """``clamp(p, min_prob)^q`` computed as ``exp(q log p)``.

    Log space keeps the gradient finite at ``p = 0`` (``d p^q / dp`` is
    infinite there for q < 1, and ``inf * 0`` would be NaN).
    """
    if min_prob > 0:
        logp = logp.clamp(min=math.log(min_prob))
    return torch.exp(q * logp)


def _check_gce_args(name: str, q: float, min_prob: float) -> None:
    check_positive(name, q=q)
    check_finite(name, min_prob=min_prob)
    if not 0 <= min_prob < 1:
        raise ValueError(f'{name}: min_prob must be in [0, 1), got '
                         f'{min_prob!r}')


def gce_loss(cls_score: torch.Tensor,
             target: torch.Tensor,
             q: float = 0.7,
             min_prob: float = MIN_PROB) -> torch.Tensor:
    r"""Per-sample GCE ``(1 - p_y^q) / q`` (expectation for soft targets)."""
    return _gce(LogitView(cls_score, target), q, min_prob)


def _gce(view: LogitView, q: float, min_prob: float) -> torch.Tensor:
    return view.expect(lambda v: (1 - _pow_prob(v, q, min_prob)) / q)


def ngce_loss(cls_score: torch.Tensor,
              target: torch.Tensor,
              q: float = 0.7,
              min_prob: float = MIN_PROB) -> torch.Tensor:
    r"""Per-sample NGCE ``(1 - p_y^q) / (C - sum_k p_k^q)``."""
    return _ngce(LogitView(cls_score, target), q, min_prob)


def _ngce(view: LogitView,
          q: float,
          min_prob: float,
          scale: float = 1.0) -> torch.Tensor:
    if not view.soft:  # the closed-form backward
        loss, logp_y = ngce_closed_form(view.z, view.target, q, min_prob,
                                        scale)
        view.share_logp_target(logp_y)
        return loss
    pq = _pow_prob(view.logp, q, min_prob)
    # sum_k p_k^q <= C^(1-q) < C for q > 0, so the denominator is positive.
    denom = view.num_classes - pq.sum(dim=1)
    # sum_k t_k (1 - p_k^q) = sum_k t_k - sum_k t_k p_k^q
    mass = view.soft_target.sum(dim=1) if view.soft else 1.0
    return scale * (mass - view.pick(pq)) / denom


@MODELS.register_module()
class GCELoss(BaseClsLoss):
    r"""Generalized cross entropy (the Lq loss).

    `Generalized Cross Entropy Loss for Training Deep Neural Networks with
    Noisy Labels <https://arxiv.org/abs/1805.07836>`_

    .. math::
        \mathrm{GCE}(z, y) = \frac{1 - p_y^{q}}{q}

    ``q -> 0`` gives CE, ``q = 1`` gives MAE ``1 - p_y``.

    Args:
        q (float): Exponent, > 0. Defaults to 0.7 (paper; ALFs/APL configs).
        min_prob (float): Named clamp of ``p`` before the power, as in the
            official code (1e-7). 0 disables it. Defaults to 1e-7.
        reduction (str): Defaults to ``'mean'``.
        loss_weight (float): Defaults to 1.0.
    """

    def __init__(self,
                 q: float = 0.7,
                 min_prob: float = MIN_PROB,
                 reduction: str = 'mean',
                 loss_weight: float = 1.0):
        super().__init__(reduction, loss_weight)
        _check_gce_args('GCELoss', q, min_prob)
        self.q = q
        self.min_prob = min_prob

    def elementwise(self, view: LogitView) -> torch.Tensor:
        return _gce(view, self.q, self.min_prob)


@MODELS.register_module()
class NGCELoss(BaseClsLoss):
    r"""Normalized generalized cross entropy, an active loss of APL.

    `Normalized Loss Functions for Deep Learning with Noisy Labels
    <https://arxiv.org/abs/2006.13554>`_

    .. math::
        \mathrm{NGCE}(z, y) = s \frac{1 - p_y^{q}}{C - \sum_k p_k^{q}}

    :math:`\sum_k \mathrm{NGCE}(z, k) = s`. The denominator is not detached,
    as in the official code.

    Args:
        q (float): Exponent, > 0. Defaults to 0.7 (ALFs ``config.py``; APL
            uses 0.1 on MNIST and CIFAR-10).
        scale (float): ``s``. Defaults to 1.0.
        min_prob (float): Clamp of ``p`` before the power. Defaults to 1e-7.
        reduction (str): Defaults to ``'mean'``.
        loss_weight (float): Defaults to 1.0.
    """

    def __init__(self,
                 q: float = 0.7,
                 scale: float = 1.0,
                 min_prob: float = MIN_PROB,
                 reduction: str = 'mean',
                 loss_weight: float = 1.0):
        super().__init__(reduction, loss_weight)
        _check_gce_args('NGCELoss', q, min_prob)
        check_positive('NGCELoss', scale=scale)
        self.q = q
        self.scale = scale
        self.min_prob = min_prob

    def elementwise(self, view: LogitView) -> torch.Tensor:
        return _ngce(view, self.q, self.min_prob, self.scale)

    def elementwise_with_passive(self, view: LogitView, weight: float,
                                 passive: float) -> Optional[torch.Tensor]:
        if view.soft:
            return None
        return ngce_closed_form(view.z, view.target, self.q, self.min_prob,
                                weight * self.scale, passive)[0]
