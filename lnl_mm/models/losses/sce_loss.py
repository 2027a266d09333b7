# Copyright (c) lnl_mm contributors. All rights reserved.
"""Symmetric cross entropy (SCE)."""
import torch
from mmpretrain.registry import MODELS

from .rce_loss import LOG_ZERO_CODE, check_log_zero, rce_from_view
from .utils import BaseClsLoss, LogitView, check_non_negative


@MODELS.register_module()
class SCELoss(BaseClsLoss):
    r"""Symmetric cross entropy.

    `Symmetric Cross Entropy for Robust Learning with Noisy Labels
    <https://arxiv.org/abs/1908.06112>`_

    .. math::
        \mathrm{SCE}(z, y) = \alpha \, \mathrm{CE}(z, y)
        + \beta \, \mathrm{RCE}(z, y), \quad
        \mathrm{RCE}(z, y) = -A (1 - p_y)

    Args:
        alpha (float): Weight of CE, >= 0. Defaults to 0.1 (CIFAR-10 in the
            paper; the ALFs ``config.py`` uses 1).
        beta (float): Weight of RCE, >= 0. Defaults to 1.0.
        log_zero (float): ``A`` of RCE. Defaults to ``log(1e-4)`` (official
            code); the paper states -4. See :class:`RCELoss`.
        reduction (str): Defaults to ``'mean'``.
        loss_weight (float): Defaults to 1.0.
    """

    def __init__(self,
                 alpha: float = 0.1,
                 beta: float = 1.0,
                 log_zero: float = LOG_ZERO_CODE,
                 reduction: str = 'mean',
                 loss_weight: float = 1.0):
        super().__init__(reduction, loss_weight)
        check_non_negative('SCELoss', alpha=alpha, beta=beta)
        check_log_zero('SCELoss', log_zero)
        self.alpha = alpha
        self.beta = beta
        self.log_zero = log_zero

    def elementwise(self, view: LogitView) -> torch.Tensor:
        return (self.alpha * view.cross_entropy() +
                self.beta * rce_from_view(view, self.log_zero))
