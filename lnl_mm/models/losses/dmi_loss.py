# Copyright (c) lnl_mm contributors. All rights reserved.
"""The determinant-based mutual information loss (L_DMI)."""
import math
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmpretrain.registry import MODELS

from .utils import check_finite, check_positive, check_target, upcast

#: The official code adds 0.001 to ``|det U|`` before the log.
DMI_EPS = 1e-3
#: Below ``log|det U| = 600`` the determinant itself is taken (float64
#: holds up to e^709); above it, its logarithm.
LOG_DET_DIRECT = 600.0


def dmi_loss(cls_score: torch.Tensor,
             target: torch.Tensor,
             weight: Optional[torch.Tensor] = None,
             eps: float = DMI_EPS) -> torch.Tensor:
    r"""The batch's ``-log(|det(Y^T P)| + eps)`` (see :class:`DMILoss`).

    Computed in float64: with :func:`torch.det` as the official code
    (whose gradient stays finite at a singular ``U``, e.g. a class absent
    from the batch), and as ``-logaddexp(log|det U|, log eps)`` from
    :func:`torch.linalg.slogdet` where ``|det U|`` would overflow (above
    ``e^600``; a ``C x C`` matrix of counts reaches it at C = 100).

    Args:
        cls_score (Tensor): Logits ``(N, C)``.
        target (Tensor): Index labels ``(N,)`` or soft targets ``(N, C)``
            (the rows of ``Y``).
        weight (Tensor, optional): Per-sample weights ``(N,)`` scaling the
            rows of ``Y``.
        eps (float): Added to ``|det U|``. Defaults to 1e-3.

    Returns:
        Tensor: A scalar in the logits' precision (float32 at least).
    """
    z = upcast(cls_score)
    prob = F.softmax(z.double(), dim=1)
    if target.dim() == 1:
        y = F.one_hot(target.long(), z.size(1)).to(prob.dtype)
    else:
        y = target.to(prob.dtype)
    if weight is not None:
        y = y * weight.to(prob.dtype).view(-1, 1)
    u = y.t() @ prob
    with torch.no_grad():
        _, logabsdet = torch.linalg.slogdet(u)
    if bool(logabsdet < LOG_DET_DIRECT):  # also -inf: a singular U
        loss = -torch.log(torch.det(u).abs() + eps)
    else:  # |det| too large for float64; eps is negligible
        _, logabsdet = torch.linalg.slogdet(u)
        loss = -torch.logaddexp(logabsdet,
                                torch.tensor(math.log(eps), dtype=prob.dtype))
    return loss.to(z.dtype)


@MODELS.register_module()
class DMILoss(nn.Module):
    r"""Information-theoretic loss that is robust to any noise transition.

    `L_DMI: A Novel Information-theoretic Loss Function for Training Deep
    Nets Robust to Label Noise <https://arxiv.org/abs/1909.03388>`_
    (NeurIPS 2019), as HanxunH/Active-Passive-Losses ``loss.py`` ships it
    (``DMILoss``):

    .. math::
        L_{DMI} = -\log\big(|\det(Y^\top P)| + \epsilon\big)

    with ``Y`` the ``(N, C)`` one-hot given labels of the batch, ``P`` the
    softmax predictions and ``epsilon = 0.001``. The paper's ``U = Y^T P /
    N`` has the ``1 / N``; the code, followed here, has not (a constant
    ``C log N`` on the loss, but the ``epsilon`` weighs differently). The
    loss is one number for the whole batch, not a mean of per-sample
    losses: ``reduction`` is ``'mean'`` (the batch value) or ``'sum'``
    (the same value), ``'none'`` is refused, and the head's ``avg_factor``
    (the batch size) does not divide it. The DMI paper trains from a
    CE-trained model with a small learning rate; start from a CE run's
    checkpoint (``load_from=...``).

    Args:
        eps (float): Added to ``|det|`` before the log, > 0. Defaults to
            0.001 (official).
        reduction (str): ``'mean'`` or ``'sum'``. Defaults to ``'mean'``.
        loss_weight (float): Defaults to 1.0.
    """

    def __init__(self,
                 eps: float = DMI_EPS,
                 reduction: str = 'mean',
                 loss_weight: float = 1.0):
        super().__init__()
        check_positive('DMILoss', eps=eps)
        check_finite('DMILoss', loss_weight=loss_weight)
        self._check_reduction('reduction', reduction)
        self.eps = eps
        self.reduction = reduction
        self.loss_weight = loss_weight

    @staticmethod
    def _check_reduction(option: str, value: str) -> None:
        if value not in ('mean', 'sum'):
            raise ValueError(f"DMILoss: {option} must be 'mean' or 'sum' (the "
                             f'loss is one determinant per batch; there is '
                             f"no per-sample 'none'), got {value!r}")

    def forward(self,
                cls_score: torch.Tensor,
                label: torch.Tensor,
                weight: Optional[torch.Tensor] = None,
                avg_factor: Optional[float] = None,
                reduction_override: Optional[str] = None,
                **kwargs) -> torch.Tensor:
        """The batch loss (mmpretrain's loss signature).

        Args:
            cls_score (Tensor): Logits ``(N, C)``.
            label (Tensor): Index labels ``(N,)`` or soft targets ``(N, C)``.
            weight (Tensor, optional): Per-sample weights ``(N,)``.
            avg_factor (float, optional): Accepted for the head's call;
                a determinant is not a sum over samples, so it is not used.
            reduction_override (str, optional): ``'mean'`` or ``'sum'``.
        """
        if kwargs:
            raise TypeError(f'DMILoss: unexpected arguments {sorted(kwargs)}')
        if reduction_override is not None:
            self._check_reduction('reduction_override', reduction_override)
        check_target('DMILoss', cls_score, label)
        return self.loss_weight * dmi_loss(cls_score, label, weight, self.eps)
