# Copyright (c) lnl_mm contributors. All rights reserved.
"""Shared plumbing of the robust classification losses.

Every loss here works on logits, casts half / bfloat16 to float32 on entry
(so values do not depend on AMP), accepts index targets ``(N,)`` and soft
targets ``(N, C)`` (``gt_score`` from Mixup / CutMix) and reduces through
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
from functools import cached_property
from typing import Callable, Optional

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.dist import get_rank
from mmpretrain.models.losses.utils import weight_reduce_loss

REDUCTIONS = ('none', 'mean', 'sum')


def upcast(x: torch.Tensor) -> torch.Tensor:
    """Cast half / bfloat16 to float32; float32 and float64 stay as they are.

    Loss values therefore do not depend on AMP, and float64 inputs keep
    float64 precision (``gradcheck``).
    """
    return x.to(torch.promote_types(x.dtype, torch.float32))


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


def check_positive(name: str, **kwargs: float) -> None:
    """Raise a ValueError naming the loss and option unless all are > 0."""
    for key, value in kwargs.items():
        if not (isinstance(value, (int, float)) and value > 0
                and math.isfinite(value)):
            raise ValueError(f'{name}: {key} must be a finite number > 0, '
                             f'got {value!r}')


def check_non_negative(name: str, **kwargs: float) -> None:
    """Raise a ValueError naming the loss and options unless all are finite
    and >= 0 (one message for all of them, e.g. ``alpha and beta``)."""
    if not all(
            isinstance(v, (int, float)) and math.isfinite(v) and v >= 0
            for v in kwargs.values()):
        got = ', '.join(f'{k}={v!r}' for k, v in kwargs.items())
        raise ValueError(f'{name}: {" and ".join(kwargs)} must be finite and '
                         f'>= 0, got {got}')


def check_reduction(name: str, option: str, value: str) -> None:
    """Raise a ValueError naming the loss and option unless ``value`` is one
    of :data:`REDUCTIONS`."""
    if value not in REDUCTIONS:
        raise ValueError(f'{name}: {option} must be one of {REDUCTIONS}, got '
                         f'{value!r}')


def check_finite(name: str, **kwargs: float) -> None:
    """Raise a ValueError naming the loss and option unless all are finite."""
    for key, value in kwargs.items():
        if not (isinstance(value, (int, float)) and math.isfinite(value)):
            raise ValueError(f'{name}: {key} must be a finite number, got '
                             f'{value!r}')


class LogitView:
    """Lazily computed quantities of float logits and their target.

    The log-softmax is computed once per call (by one fused kernel) and
    shared by every term of a combination; per-sample quantities
    (``log p_y``, ``sum_k log p_k``) are cached on first use.

    Args:
        cls_score (Tensor): Logits ``(N, C)``; half / bfloat16 are upcast.
        target (Tensor): Index labels ``(N,)`` or soft targets ``(N, C)``.
    """

    def __init__(self, cls_score: torch.Tensor, target: torch.Tensor):
        self.z = upcast(cls_score)
        self.target = target
        self.num_classes = cls_score.size(1)
        self.soft = target.dim() == 2

    @cached_property
    def logp(self) -> torch.Tensor:
        """All log-probabilities ``(N, C)`` (one fused ``log_softmax``)."""
        return F.log_softmax(self.z, dim=1)

    @cached_property
    def logp_target(self) -> torch.Tensor:
        """``log p_y`` for index targets, shape ``(N,)``."""
        return self.pick(self.logp)

    def share_logp_target(self, logp_target: torch.Tensor) -> None:
        """Use ``logp_target`` as ``log p_y`` from now on (index targets).

        A closed-form loss (NFL, NGCE) computes ``log p_y`` inside its own
        backward and returns it with its graph; the other term of a
        combination (MAE, RCE, AGCE, ...) then reads it from here and its
        gradient joins that backward instead of a second log-softmax.
        """
        if self.soft:
            raise ValueError('share_logp_target: soft targets have no '
                             'single log p_y')
        self.__dict__['logp_target'] = logp_target

    @cached_property
    def sum_logp(self) -> torch.Tensor:
        """``sum_k log p_k``, shape ``(N,)``."""
        return self.logp.sum(dim=1)

    @property
    def soft_target(self) -> torch.Tensor:
        """Soft target in the logits' dtype, ``(N, C)``."""
        return self.target.to(self.z.dtype)

    def expect(
        self,
        fn: Optional[Callable[[torch.Tensor], torch.Tensor]] = None,
    ) -> torch.Tensor:
        """``fn(log p_y)``, or ``sum_k t_k fn(log p_k)`` for soft targets.

        Args:
            fn (callable, optional): Element-wise function of
                log-probabilities. Identity when None.

        Returns:
            Tensor: Shape ``(N,)``.
        """
        if not self.soft:  # only the target column is transformed
            return self.logp_target if fn is None else fn(self.logp_target)
        return self.pick(self.logp if fn is None else fn(self.logp))

    def pick(self, per_class: torch.Tensor) -> torch.Tensor:
        """Select (index) or average under ``t`` (soft) a ``(N, C)`` tensor."""
        if not self.soft:
            return per_class.gather(1,
                                    self.target.long().view(-1, 1)).squeeze(1)
        return (self.soft_target * per_class).sum(dim=1)

    def cross_entropy(self) -> torch.Tensor:
        """``-log p_y`` or the soft CE ``-sum_k t_k log p_k``."""
        return -self.expect()


class BaseClsLoss(nn.Module):
    """Base of the robust losses: mmpretrain's signature and reductions.

    Subclasses implement :meth:`elementwise`, which returns the per-sample
    loss from a :class:`LogitView` of the logits.

    Args:
        reduction (str): ``'none'``, ``'mean'`` or ``'sum'``.
            Defaults to ``'mean'``.
        loss_weight (float): Multiplier of the reduced loss. Defaults to 1.0.
    """

    def __init__(self, reduction: str = 'mean', loss_weight: float = 1.0):
        super().__init__()
        name = type(self).__name__
        check_reduction(name, 'reduction', reduction)
        check_finite(name, loss_weight=loss_weight)
        self.reduction = reduction
        self.loss_weight = loss_weight

    def elementwise(self, view: LogitView) -> torch.Tensor:
        """Per-sample loss ``(N,)`` from a :class:`LogitView`."""
        raise NotImplementedError

    def passive_weight(self) -> Optional[float]:
        """``w`` where this loss is ``w (1 - p_y)`` for index targets (MAE,
        RCE), else None: an active loss with a closed form then takes the
        term inside its own backward (:meth:`elementwise_with_passive`).
        A combination asks only a loss whose :meth:`elementwise` is its
        class's own (:func:`speaks_for_its_formula`)."""
        return None

    def elementwise_with_passive(self, view: LogitView, weight: float,
                                 passive: float) -> Optional[torch.Tensor]:
        """``weight * elementwise(view) + passive * (1 - p_y)`` in one
        closed-form autograd node (NFL, NGCE), or None where this loss has
        none for ``view`` (then the combination adds the terms)."""
        return None

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
        check_reduction(type(self).__name__, 'reduction_override', reduction)
        check_target(type(self).__name__, cls_score, label)
        loss = self.elementwise(LogitView(cls_score, label))
        if weight is not None:
            weight = weight.to(loss.dtype).view(-1)
        loss = weight_reduce_loss(
            loss, weight=weight, reduction=reduction, avg_factor=avg_factor)
        # a unit weight adds no operation (and no autograd node)
        return loss if self.loss_weight == 1 else self.loss_weight * loss


def speaks_for_its_formula(loss: BaseClsLoss, method: str) -> bool:
    """Whether ``loss``'s ``method`` (:meth:`~BaseClsLoss.passive_weight`,
    :meth:`~BaseClsLoss.elementwise_with_passive`) describes the formula it
    runs: the class that defines ``method`` also defines the
    :meth:`~BaseClsLoss.elementwise` in use. A subclass that redefines the
    loss (a clipped MAE, say) does not inherit its parent's closed form."""
    owner = next(c for c in type(loss).__mro__ if method in vars(c))
    return type(loss).elementwise is getattr(owner, 'elementwise', None)


class SeededDrawLoss(BaseClsLoss):
    """A loss that draws random numbers, reproducibly across resumes.

    Each training call draws from its own generator seeded by ``(seed, call
    number, rank)``. The call number is the buffer ``num_draws``, saved in
    the checkpoint with the model, so kill + ``--resume`` draws exactly what
    the uninterrupted run draws (MMEngine re-seeds the global generator on
    resume), and the ranks of a distributed run draw independently.

    Args:
        seed (int): Seed of the draws, ``>= 0``. Defaults to 0.
        reduction (str): Defaults to ``'mean'``.
        loss_weight (float): Defaults to 1.0.
    """

    num_draws: torch.Tensor  # a buffer: the training calls so far

    def __init__(self,
                 seed: int = 0,
                 reduction: str = 'mean',
                 loss_weight: float = 1.0):
        super().__init__(reduction, loss_weight)
        if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
            raise ValueError(f'{type(self).__name__}: seed must be an int '
                             f'>= 0, got seed={seed!r}')
        self.seed = seed
        self.register_buffer('num_draws', torch.zeros((), dtype=torch.long))

    def next_generator(self, device: torch.device) -> torch.Generator:
        """The generator of the next draw (advances ``num_draws``)."""
        state = np.random.SeedSequence(
            [self.seed, int(self.num_draws),
             get_rank()]).generate_state(1)[0]
        self.num_draws += 1
        return torch.Generator(device=device).manual_seed(int(state))
