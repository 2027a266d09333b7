# Copyright (c) lnl_mm contributors. All rights reserved.
"""Reverse cross entropy (RCE) and normalized RCE (NRCE)."""
import math

import torch
from mmpretrain.registry import MODELS

from .utils import BaseClsLoss, LogitView, check_finite, check_positive

#: ``A = log(1e-4)``: the official SCE/APL/ALFs code clamps the one-hot
#: target at 1e-4 before taking its log (the SCE paper states A = -4).
LOG_ZERO_CODE = math.log(1e-4)


def check_log_zero(name: str, log_zero: float) -> None:
    """Raise a ValueError naming the loss unless ``A = log_zero`` is < 0."""
    check_finite(name, log_zero=log_zero)
    if log_zero >= 0:
        raise ValueError(f'{name}: log_zero (A) must be < 0, got '
                         f'{log_zero!r}')


def rce_loss(cls_score: torch.Tensor,
             target: torch.Tensor,
             log_zero: float = LOG_ZERO_CODE) -> torch.Tensor:
    r"""Per-sample reverse cross entropy.

    .. math::
        \mathrm{RCE}(z, t) = -\sum_k p_k \max(\log t_k, A)
        \;\overset{t = e_y}{=}\; -A (1 - p_y)

    Args:
        cls_score (Tensor): Logits ``(N, C)``.
        target (Tensor): Index labels or a target distribution (its clamped
            log is used, as in the formula).
        log_zero (float): ``A``, the value that replaces ``log 0``.
            Defaults to ``log(1e-4) ≈ -9.2103`` (official code).

    Returns:
        Tensor: Loss per sample ``(N,)``.
    """
    return rce_from_view(LogitView(cls_score, target), log_zero)


def rce_from_view(view: LogitView,
                  log_zero: float = LOG_ZERO_CODE) -> torch.Tensor:
    """:func:`rce_loss` from a :class:`LogitView`."""
    if not view.soft:
        return -log_zero * -torch.expm1(view.logp_target)
    log_t = view.soft_target.clamp(min=math.exp(log_zero), max=1.0).log()
    return -(view.logp.exp() * log_t).sum(dim=1)


@MODELS.register_module()
class RCELoss(BaseClsLoss):
    r"""Reverse cross entropy, the passive half of SCE.

    `Symmetric Cross Entropy for Robust Learning with Noisy Labels
    <https://arxiv.org/abs/1908.06112>`_

    .. math::
        \mathrm{RCE}(z, y) = -\sum_k p_k \log q_k = -A (1 - p_y),
        \quad q = e_y, \ \log 0 := A

    The paper sets ``A = -4``; the released SCE, APL and ALFs code clamps the
    one-hot at 1e-4, i.e. ``A = log(1e-4) ≈ -9.21``, and every published
    SCE / APL / ALFs number was produced with it, so that is our default.
    ``log_zero=-4`` gives the paper's definition. The official code also
    clamps ``p`` at 1e-7 (a shift of at most ``(C-1)·1e-7·|A|``); we do not.

    Args:
        log_zero (float): ``A`` (< 0). Defaults to ``log(1e-4)``.
        scale (float): Multiplier. Defaults to 1.0.
        reduction (str): Defaults to ``'mean'``.
        loss_weight (float): Defaults to 1.0.
    """

    def __init__(self,
                 log_zero: float = LOG_ZERO_CODE,
                 scale: float = 1.0,
                 reduction: str = 'mean',
                 loss_weight: float = 1.0):
        super().__init__(reduction, loss_weight)
        check_log_zero('RCELoss', log_zero)
        check_positive('RCELoss', scale=scale)
        self.log_zero = log_zero
        self.scale = scale

    def elementwise(self, view: LogitView) -> torch.Tensor:
        return self.scale * rce_from_view(view, self.log_zero)

    def passive_weight(self) -> float:
        return -self.log_zero * self.scale


@MODELS.register_module()
class NRCELoss(BaseClsLoss):
    r"""Normalized reverse cross entropy, a passive loss of APL.

    `Normalized Loss Functions for Deep Learning with Noisy Labels
    <https://arxiv.org/abs/2006.13554>`_

    .. math::
        \mathrm{NRCE}(z, y) = s \frac{\mathrm{RCE}(z, y)}
        {\sum_k \mathrm{RCE}(z, k)} = s \frac{1 - p_y}{C - 1}

    so :math:`\sum_k \mathrm{NRCE}(z, k) = s` (and NRCE equals NMAE).

    Both official repositories compute ``scale * (1/4*(C-1)) * RCE``, which
    Python evaluates as ``(C-1)/4 * RCE``: an RCE multiplied by (C-1)/4, not
    normalised. ``official_scale=True`` reproduces that value.

    Args:
        scale (float): ``s``. Defaults to 1.0.
        official_scale (bool): Use the official ``(C-1)/4 * RCE`` with
            ``A = log(1e-4)``. Defaults to False.
        reduction (str): Defaults to ``'mean'``.
        loss_weight (float): Defaults to 1.0.
    """

    def __init__(self,
                 scale: float = 1.0,
                 official_scale: bool = False,
                 reduction: str = 'mean',
                 loss_weight: float = 1.0):
        super().__init__(reduction, loss_weight)
        check_positive('NRCELoss', scale=scale)
        self.scale = scale
        self.official_scale = official_scale

    def elementwise(self, view: LogitView) -> torch.Tensor:
        num_classes = view.num_classes
        rce = rce_from_view(view, LOG_ZERO_CODE)
        if self.official_scale:
            return self.scale * (num_classes - 1) / 4 * rce
        return self.scale * rce / (-LOG_ZERO_CODE * (num_classes - 1))
