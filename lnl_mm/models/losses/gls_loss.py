# Copyright (c) lnl_mm contributors. All rights reserved.
"""Generalized label smoothing (GLS): positive and negative smoothing."""
import torch
from mmpretrain.registry import MODELS

from .utils import BaseClsLoss, LogitView, check_finite


def gls_loss(cls_score: torch.Tensor,
             target: torch.Tensor,
             smooth_rate: float,
             wa: float = 0.0,
             wb: float = 1.0) -> torch.Tensor:
    r"""Per-sample GLS loss (see :class:`GLSLoss`)."""
    return _gls(LogitView(cls_score, target), smooth_rate, wa, wb)


def _gls(view: LogitView, smooth_rate: float, wa: float,
         wb: float) -> torch.Tensor:
    uniform = -view.sum_logp / view.num_classes  # mean_k (-log p_k)
    return ((wa + wb * (1 - smooth_rate)) * view.cross_entropy() +
            wb * smooth_rate * uniform)


@MODELS.register_module()
class GLSLoss(BaseClsLoss):
    r"""Generalized label smoothing, with positive or negative smooth rate.

    `To Smooth or Not? When Label Smoothing Meets Noisy Labels
    <https://arxiv.org/abs/2106.04149>`_ (ICML 2022)

    .. math::
        \mathrm{GLS}(z, y) = (w_a + w_b (1 - r)) (-\log p_y)
        + w_b \, r \, \frac{1}{C} \sum_k (-\log p_k)

    With ``wa = 0, wb = 1`` this is CE against the smoothed target
    ``(1 - r) e_y + r / C``: ``r > 0`` is label smoothing, ``r < 0`` negative
    label smoothing (the target puts ``1 + |r|/C`` on ``y`` and ``-|r|/C``
    elsewhere; ``r < -1`` is allowed, the paper's grid goes to -8), ``r = 0``
    is CE, ``r = 1`` the uniform target. The paper's range is
    ``r in (-inf, 1]`` and it is enforced: above 1 the "smoothed" target
    gives the labelled class less than the others (below zero for
    ``r > C / (C - 1)``), and training drives the loss to minus infinity.
    ``wa = 1, wb = 0`` is CE for every ``r`` (the official warm-up).
    Soft targets replace ``-log p_y`` by the soft CE. Computed from
    ``log_softmax`` without clamps.

    Args:
        smooth_rate (float): ``r``, finite and ``<= 1``.
        wa (float): Weight of the plain CE term. Defaults to 0.0 (official
            GLS phase).
        wb (float): Weight of the smoothed term. Defaults to 1.0.
        reduction (str): Defaults to ``'mean'``.
        loss_weight (float): Defaults to 1.0.
    """

    def __init__(self,
                 smooth_rate: float,
                 wa: float = 0.0,
                 wb: float = 1.0,
                 reduction: str = 'mean',
                 loss_weight: float = 1.0):
        super().__init__(reduction, loss_weight)
        check_finite('GLSLoss', smooth_rate=smooth_rate, wa=wa, wb=wb)
        if smooth_rate > 1:
            raise ValueError(
                f'GLSLoss: smooth_rate must be <= 1 (the paper\'s range '
                f'(-inf, 1]; 1 is the uniform target), got '
                f'smooth_rate={smooth_rate}')
        self.smooth_rate = smooth_rate
        self.wa = wa
        self.wb = wb

    def elementwise(self, view: LogitView) -> torch.Tensor:
        return _gls(view, self.smooth_rate, self.wa, self.wb)
