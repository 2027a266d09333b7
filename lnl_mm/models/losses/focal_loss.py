# Copyright (c) lnl_mm contributors. All rights reserved.
"""Softmax focal loss (FL) and normalized focal loss (NFL)."""
from typing import Optional

import torch
from mmpretrain.registry import MODELS

from .normalized_grads import denominator_floor, nfl_closed_form
from .utils import BaseClsLoss, LogitView, check_non_negative, check_positive

#: Lower clamp of ``1 - p`` when the focal factor is differentiated: the
#: derivative of ``(1 - p)^gamma`` is infinite at ``p = 1`` for gamma < 1.
FOCAL_EPS = 1e-12


def _power(x: torch.Tensor, gamma: float) -> torch.Tensor:
    """``x ** gamma`` with fast paths for the common exponents (a generic
    fractional power costs an exp and a log per element)."""
    if gamma == 0.5:
        return x.sqrt()
    if gamma == 1:
        return x
    if gamma == 2:
        return x * x
    return x.pow(gamma)


def _focal_terms(logp: torch.Tensor, gamma: float,
                 detach_factor: bool) -> torch.Tensor:
    """Per-class ``-(1 - p_k)^gamma log p_k``."""
    # expm1 is exact near p = 1 but is not vectorised on CPU (about 5x the
    # cost of exp): use it for the per-sample (N,) path only.
    one_minus_p = (-torch.expm1(logp) if logp.dim() == 1 else 1 - logp.exp())
    if detach_factor:
        factor = _power(one_minus_p.detach(), gamma)
    else:
        factor = _power(one_minus_p.clamp(min=FOCAL_EPS), gamma)
    return -factor * logp


def softmax_focal_loss(cls_score: torch.Tensor,
                       target: torch.Tensor,
                       gamma: float = 0.5,
                       detach_factor: bool = True) -> torch.Tensor:
    r"""Per-sample softmax focal loss.

    .. math::
        \mathrm{FL}(z, y) = -(1 - p_y)^{\gamma} \log p_y

    Args:
        cls_score (Tensor): Logits ``(N, C)``.
        target (Tensor): Index labels ``(N,)`` or soft targets ``(N, C)``
            (expectation over the target).
        gamma (float): Focusing parameter. Defaults to 0.5.
        detach_factor (bool): Treat ``(1 - p_y)^gamma`` as a constant for
            autograd, as the official ALFs/APL code does. Defaults to True.

    Returns:
        Tensor: Loss per sample ``(N,)``.
    """
    return _fl(LogitView(cls_score, target), gamma, detach_factor)


def _fl(view: LogitView, gamma: float, detach_factor: bool) -> torch.Tensor:
    return view.expect(lambda v: _focal_terms(v, gamma, detach_factor))


#: What NFL treats as a constant for autograd (the value never changes):
#: ``'factor'`` the focal factors ``(1 - p_k)^gamma`` (the official ALFs and
#: APL code), ``'denominator'`` the factors and the whole denominator (a
#: weighted CE gradient; lnl_mm 0.1's default), ``'none'`` nothing (the
#: gradient of the ratio).
NFL_DETACH = ('factor', 'denominator', 'none')


def check_nfl_detach(name: str, detach) -> None:
    """``detach`` must be one of :data:`NFL_DETACH` (a bool is refused with
    the value it used to mean)."""
    if isinstance(detach, bool):
        raise ValueError(
            f"{name}: detach is one of {NFL_DETACH} since lnl_mm 0.2, got "
            f"detach={detach}; True used to mean 'denominator' and False "
            "'none'. The official code's gradient is 'factor' (the default)")
    if detach not in NFL_DETACH:
        raise ValueError(f'{name}: detach must be one of {NFL_DETACH}, got '
                         f'detach={detach!r}')


def nfl_loss(cls_score: torch.Tensor,
             target: torch.Tensor,
             gamma: float = 0.5,
             scale: float = 1.0,
             detach: str = 'factor') -> torch.Tensor:
    r"""Per-sample normalized focal loss.

    .. math::
        \mathrm{NFL}(z, y) = \frac{-(1 - p_y)^{\gamma} \log p_y}
                                  {\sum_k -(1 - p_k)^{\gamma} \log p_k}

    Args:
        cls_score (Tensor): Logits ``(N, C)``.
        target (Tensor): Index labels or soft targets (expectation).
        gamma (float): Focusing parameter. Defaults to 0.5.
        scale (float): Multiplier. Defaults to 1.0.
        detach (str): What autograd treats as a constant
            (:data:`NFL_DETACH`). Defaults to ``'factor'``, the official
            code: the focal factors, while every ``log p_k`` of numerator and
            denominator keeps its gradient.

    Returns:
        Tensor: Loss per sample ``(N,)``.
    """
    check_nfl_detach('nfl_loss', detach)
    return _nfl(LogitView(cls_score, target), gamma, scale, detach)


def _has_closed_form(view: LogitView, detach: str) -> bool:
    return detach in ('factor', 'denominator') and not view.soft


def _nfl(view: LogitView, gamma: float, scale: float,
         detach: str) -> torch.Tensor:
    if _has_closed_form(view, detach):
        # the closed-form backward: 'factor' is the official gradient;
        # 'denominator' keeps only the numerator's log p_y (the cheapest)
        loss, logp_y = nfl_closed_form(view.z, view.target, gamma, scale,
                                       detach)
        view.share_logp_target(logp_y)
        return loss
    if detach == 'denominator':  # soft targets: the (N, C) terms' graph
        terms = _focal_terms(view.logp, gamma, True)
        numer, denom = view.pick(terms), terms.detach().sum(dim=1)
        return scale * numer / denom.clamp(min=denominator_floor(denom.dtype))
    terms = _focal_terms(view.logp, gamma, detach == 'factor')
    denom = terms.sum(dim=1)
    # the denominator is >= C (1 - 1/C)^gamma log C > 0 (its minimum, at the
    # uniform distribution); the clamp only guards against underflow.
    return scale * view.pick(terms) / denom.clamp(
        min=denominator_floor(denom.dtype))


@MODELS.register_module()
class SoftmaxFocalLoss(BaseClsLoss):
    r"""Softmax focal loss (FL) for single-label classification.

    `Focal Loss for Dense Object Detection
    <https://arxiv.org/abs/1708.02002>`_, used as a baseline in
    `Normalized Loss Functions for Deep Learning with Noisy Labels
    <https://arxiv.org/abs/2006.13554>`_.

    .. math::
        \mathrm{FL}(z, y) = -(1 - p_y)^{\gamma} \log p_y

    Named ``SoftmaxFocalLoss`` because mmpretrain's ``FocalLoss`` is the
    sigmoid (multi-label) variant.

    Args:
        gamma (float): Focusing parameter, >= 0. Defaults to 0.5 (ALFs and
            APL configs on every dataset).
        detach_factor (bool): Treat the focal factor as a constant for
            autograd (official ALFs/APL code). False gives the textbook
            gradient. Defaults to True.
        reduction (str): ``'none'``, ``'mean'`` or ``'sum'``.
            Defaults to ``'mean'``.
        loss_weight (float): Multiplier. Defaults to 1.0.
    """

    def __init__(self,
                 gamma: float = 0.5,
                 detach_factor: bool = True,
                 reduction: str = 'mean',
                 loss_weight: float = 1.0):
        super().__init__(reduction, loss_weight)
        check_non_negative('SoftmaxFocalLoss', gamma=gamma)
        self.gamma = gamma
        self.detach_factor = detach_factor

    def elementwise(self, view: LogitView) -> torch.Tensor:
        return _fl(view, self.gamma, self.detach_factor)


@MODELS.register_module()
class NFLLoss(BaseClsLoss):
    r"""Normalized focal loss (NFL), an active loss of APL.

    `Normalized Loss Functions for Deep Learning with Noisy Labels
    <https://arxiv.org/abs/2006.13554>`_

    .. math::
        \mathrm{NFL}(z, y) = \frac{-(1 - p_y)^{\gamma} \log p_y}
                                  {\sum_k -(1 - p_k)^{\gamma} \log p_k}

    :math:`\sum_k \mathrm{NFL}(z, k) = 1` for every ``z``.

    Args:
        gamma (float): Focusing parameter, >= 0. Defaults to 0.5 (ALFs and
            APL configs).
        scale (float): Multiplier (APL's ``scale``). Defaults to 1.0.
        detach (str): What autograd treats as a constant; the value is the
            same in every mode. ``'factor'`` (default): the focal factors
            ``(1 - p_k)^gamma``, while every ``log p_k`` of the numerator
            and of the denominator keeps its gradient, as the official
            ``NormalizedFocalLoss`` (APL ``loss.py``, ALFs ``lnl/losses.py``).
            ``'denominator'``: the factors and the whole denominator (a
            weighted CE gradient, cheapest; lnl_mm 0.1's default).
            ``'none'``: the gradient of the ratio.
        reduction (str): Defaults to ``'mean'``.
        loss_weight (float): Defaults to 1.0.
    """

    def __init__(self,
                 gamma: float = 0.5,
                 scale: float = 1.0,
                 detach: str = 'factor',
                 reduction: str = 'mean',
                 loss_weight: float = 1.0):
        super().__init__(reduction, loss_weight)
        check_non_negative('NFLLoss', gamma=gamma)
        check_positive('NFLLoss', scale=scale)
        check_nfl_detach('NFLLoss', detach)
        self.gamma = gamma
        self.scale = scale
        self.detach = detach

    def elementwise(self, view: LogitView) -> torch.Tensor:
        return _nfl(view, self.gamma, self.scale, self.detach)

    def elementwise_with_passive(self, view: LogitView, weight: float,
                                 passive: float) -> Optional[torch.Tensor]:
        if not _has_closed_form(view, self.detach):
            return None
        return nfl_closed_form(view.z, view.target, self.gamma,
                               weight * self.scale, self.detach, passive)[0]
