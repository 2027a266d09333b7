# Copyright (c) lnl_mm contributors. All rights reserved.
"""Shared plumbing of the robust classification losses.

Every loss here works on logits, casts half / bfloat16 to float32 on entry (so values do
not depend on AMP), accepts index targets ``(N,)`` and soft targets
``(N, C)`` (``gt_score`` from Mixup / CutMix) and reduces through
mmpretrain's :func:`weight_reduce_loss`.

Soft targets: a loss that is defined on a class index, ``L(z, k)``, is
extended to a target distribution ``t`` by its expectation
``L(z, t) = sum_k t_k L(z, k)``. This equals ``lam * L(z, y1) + (1 - lam) *
L(z, y2)`` for a Mixup target, i.e. exactly what batch augmentation asks of a
loss. Losses whose formula is written on distributions (CE, MAE, RCE, GLS)
use that formula instead, and so do the losses built on them (NRCE, SCE, the
combinations with MAE or RCE); it agrees with the expectation for one-hot
targets.
"""
import math
from typing import Callable, Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmpretrain.models.losses.utils import weight_reduce_loss

REDUCTIONS = ('none', 'mean', 'sum')


def check_target(name: str, cls_score: torch.Tensor,
                 target: torch.Tensor) -> None:
    """Check shapes of ``cls_score`` and ``target`` (no host sync).

    Args:
        name (str): The loss name, used in error messages.
        cls_score (Tensor): Logits of shape ``(N, C)``.
        target (Tensor): Index labels ``(N,)`` or soft targets ``(N, C)``.
    """
    if cls_score.dim() != 2:
        raise ValueError(f'{name}: cls_score must be (N, C) logits, got '
                         f'shape {tuple(cls_score.shape)}')
    if cls_score.size(1) < 2:
        raise ValueError(f'{name}: needs at least 2 classes, got '
                         f'{cls_score.size(1)}')
    if target.dim() == 1:
        if target.size(0) != cls_score.size(0):
            raise ValueError(f'{name}: {target.size(0)} labels for '
                             f'{cls_score.size(0)} scores')
        if target.is_floating_point():
            raise TypeError(f'{name}: index labels must be integers, got '
                            f'{target.dtype}')
    elif target.shape != cls_score.shape:
        raise ValueError(f'{name}: soft target shape {tuple(target.shape)} '
                         f'does not match cls_score {tuple(cls_score.shape)}')


def gather_or_expect(values: torch.Tensor, target: torch.Tensor,
                     fn: Callable[[torch.Tensor], torch.Tensor] = None
                     ) -> torch.Tensor:
    """Evaluate ``fn`` at the target class, or its expectation under ``t``.

    Args:
        values (Tensor): Per-class quantities of shape ``(N, C)``, typically
            log-probabilities.
        target (Tensor): Index labels ``(N,)`` or soft targets ``(N, C)``.
        fn (callable, optional): Element-wise function applied to the
            selected values. Identity when None.

    Returns:
        Tensor: ``fn(values[i, y_i])`` for index targets and
        ``sum_k t_ik fn(values[i, k])`` for soft targets, shape ``(N,)``.
    """
    if target.dim() == 1:
        picked = values.gather(1, target.long().view(-1, 1)).squeeze(1)
        return picked if fn is None else fn(picked)
    per_class = values if fn is None else fn(values)
    return (target.to(per_class.dtype) * per_class).sum(dim=1)


def check_positive(name: str, **kwargs: float) -> None:
    """Raise a ValueError naming the loss and option unless all are > 0."""
    for key, value in kwargs.items():
        if not (isinstance(value, (int, float)) and value > 0
                and math.isfinite(value)):
            raise ValueError(f'{name}: {key} must be a finite number > 0, '
                             f'got {value!r}')


def check_finite(name: str, **kwargs: float) -> None:
    """Raise a ValueError naming the loss and option unless all are finite."""
    for key, value in kwargs.items():
        if not (isinstance(value, (int, float)) and math.isfinite(value)):
            raise ValueError(f'{name}: {key} must be a finite number, got '
                             f'{value!r}')


def log_one_minus_exp(logp: torch.Tensor) -> torch.Tensor:
    """``log(1 - exp(logp))`` for ``logp <= 0``, accurate near both ends."""
    return torch.where(logp > -math.log(2), torch.log(-torch.expm1(logp)),
                       torch.log1p(-torch.exp(logp)))


class BaseClsLoss(nn.Module):
    """Base of the robust losses: mmpretrain's signature and reductions.

    Subclasses implement :meth:`elementwise`, which returns the per-sample
    loss of float32 logits, and call ``super().__init__`` with their name.

    Args:
        reduction (str): ``'none'``, ``'mean'`` or ``'sum'``.
            Defaults to ``'mean'``.
        loss_weight (float): Multiplier of the reduced loss. Defaults to 1.0.
    """

    def __init__(self, reduction: str = 'mean', loss_weight: float = 1.0):
        super().__init__()
        name = type(self).__name__
        if reduction not in REDUCTIONS:
            raise ValueError(f'{name}: reduction must be one of {REDUCTIONS}, '
                             f'got {reduction!r}')
        check_finite(name, loss_weight=loss_weight)
        self.reduction = reduction
        self.loss_weight = loss_weight

    def elementwise(self, cls_score: torch.Tensor,
                    target: torch.Tensor) -> torch.Tensor:
        """Per-sample loss of float32 logits ``(N, C)``; returns ``(N,)``."""
        raise NotImplementedError

    def forward(self,
                cls_score: torch.Tensor,
                label: torch.Tensor,
                weight: Optional[torch.Tensor] = None,
                avg_factor: Optional[float] = None,
                reduction_override: Optional[str] = None,
                **kwargs) -> torch.Tensor:
        """Compute the reduced, weighted loss.

        Args:
            cls_score (Tensor): Logits ``(N, C)``, any float dtype.
            label (Tensor): Index labels ``(N,)`` or soft targets ``(N, C)``.
            weight (Tensor, optional): Per-sample weights ``(N,)``.
            avg_factor (float, optional): Divisor of the summed loss when
                ``reduction='mean'``.
            reduction_override (str, optional): Overrides ``reduction``.

        Returns:
            Tensor: The loss, float32 (float64 for float64 logits).
        """
        if kwargs:
            raise TypeError(f'{type(self).__name__}: unexpected arguments '
                            f'{sorted(kwargs)}')
        reduction = reduction_override or self.reduction
        if reduction not in REDUCTIONS:
            raise ValueError(f'{type(self).__name__}: reduction_override must '
                             f'be one of {REDUCTIONS}, got {reduction!r}')
        check_target(type(self).__name__, cls_score, label)
        loss = self.elementwise(upcast(cls_score), label)
        if weight is not None:
            weight = weight.to(loss.dtype).view(-1)
        loss = weight_reduce_loss(
            loss, weight=weight, reduction=reduction, avg_factor=avg_factor)
        return self.loss_weight * loss


def soft_cross_entropy(logp: torch.Tensor,
                       target: torch.Tensor) -> torch.Tensor:
    """``-sum_k t_k log p_k`` (or ``-log p_y``) from log-probabilities."""
    return -gather_or_expect(logp, target)


def upcast(x: torch.Tensor) -> torch.Tensor:
    """Cast half / bfloat16 to float32; float32 and float64 stay as they are.

    Loss values therefore do not depend on AMP, and float64 inputs keep
    float64 precision (``gradcheck``).
    """
    return x.to(torch.promote_types(x.dtype, torch.float32))


def log_softmax(cls_score: torch.Tensor) -> torch.Tensor:
    """Log-softmax over the class dimension, at least float32."""
    return F.log_softmax(upcast(cls_score), dim=1)
