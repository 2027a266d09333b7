# Copyright (c) lnl_mm contributors. All rights reserved.
"""Normalized cross entropy (NCE)."""
import torch
from mmpretrain.registry import MODELS

from .utils import BaseClsLoss, LogitView, check_positive


def nce_loss(cls_score: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    r"""Per-sample NCE ``log p_y / sum_k log p_k``.

    The denominator ``-sum_k log p_k`` is at least ``C log C`` (its minimum,
    at the uniform distribution), so no guard is needed.
    """
    return _nce(LogitView(cls_score, target))


def _nce(view: LogitView) -> torch.Tensor:
    return view.cross_entropy() / -view.sum_logp


@MODELS.register_module()
class NCELoss(BaseClsLoss):
    r"""Normalized cross entropy, the active loss of APL.

    `Normalized Loss Functions for Deep Learning with Noisy Labels
    <https://arxiv.org/abs/2006.13554>`_

    .. math::
        \mathrm{NCE}(z, y) = s \frac{-\log p_y}{-\sum_k \log p_k}

    :math:`\sum_k \mathrm{NCE}(z, k) = s`. The denominator is part of the
    graph (not detached), as in the official code.

    Args:
        scale (float): ``s``. Defaults to 1.0 (ALFs; APL uses 10 on MNIST).
        reduction (str): Defaults to ``'mean'``.
        loss_weight (float): Defaults to 1.0.
    """

    def __init__(self,
                 scale: float = 1.0,
                 reduction: str = 'mean',
                 loss_weight: float = 1.0):
        super().__init__(reduction, loss_weight)
        check_positive('NCELoss', scale=scale)
        self.scale = scale

    def elementwise(self, view: LogitView) -> torch.Tensor:
        return self.scale * _nce(view)
