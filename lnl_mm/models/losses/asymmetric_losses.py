# Copyright (c) lnl_mm contributors. All rights reserved.
"""Asymmetric loss functions AGCE, AUL and AEL (ALFs).

`Asymmetric Loss Functions for Learning with Noisy Labels
<https://arxiv.org/abs/2106.03110>`_ (ICML 2021). The names avoid
mmpretrain's multi-label ``AsymmetricLoss``.
"""
import torch
from mmpretrain.registry import MODELS

from .utils import BaseClsLoss, LogitView, check_positive


def agce_loss(cls_score: torch.Tensor, target: torch.Tensor, a: float,
              q: float) -> torch.Tensor:
    """Per-sample AGCE ``((a + 1)^q - (a + p_y)^q) / q``."""
    return _agce(LogitView(cls_score, target), a, q)


def _agce(view: LogitView, a: float, q: float) -> torch.Tensor:
    return view.expect(lambda v: ((a + 1)**q - (a + v.exp()).pow(q)) / q)


def aul_loss(cls_score: torch.Tensor, target: torch.Tensor, a: float,
             q: float) -> torch.Tensor:
    """Per-sample AUL ``((a - p_y)^q - (a - 1)^q) / q``."""
    return _aul(LogitView(cls_score, target), a, q)


def _aul(view: LogitView, a: float, q: float) -> torch.Tensor:
    return view.expect(lambda v: ((a - v.exp()).pow(q) - (a - 1)**q) / q)


def ael_loss(cls_score: torch.Tensor, target: torch.Tensor,
             a: float) -> torch.Tensor:
    """Per-sample AEL ``exp(-p_y / a)``."""
    return _ael(LogitView(cls_score, target), a)


def _ael(view: LogitView, a: float) -> torch.Tensor:
    return view.expect(lambda v: torch.exp(-v.exp() / a))


@MODELS.register_module()
class AGCELoss(BaseClsLoss):
    r"""Asymmetric generalized cross entropy.

    .. math::
        \mathrm{AGCE}(z, y) = s \frac{(a + 1)^q - (a + p_y)^q}{q},
        \quad a > 0, \ q > 0

    Zero at ``p_y = 1``. Asymmetric (hence noise-tolerant under clean-label
    dominance ``r``) when ``((a+1)/a)^{1-q} <= 1/r`` for ``q <= 1``, and for
    every ``a`` when ``q > 1``.

    Args:
        a (float): Offset, > 0. Defaults to 0.6 (CIFAR-10/100, ALFs
            ``config.py``).
        q (float): Exponent, > 0. Defaults to 0.6.
        scale (float): ``s``. Defaults to 1.0.
        reduction (str): Defaults to ``'mean'``.
        loss_weight (float): Defaults to 1.0.
    """

    def __init__(self,
                 a: float = 0.6,
                 q: float = 0.6,
                 scale: float = 1.0,
                 reduction: str = 'mean',
                 loss_weight: float = 1.0):
        super().__init__(reduction, loss_weight)
        check_positive('AGCELoss', a=a, q=q, scale=scale)
        self.a, self.q, self.scale = a, q, scale

    def elementwise(self, view: LogitView) -> torch.Tensor:
        return self.scale * _agce(view, self.a, self.q)


@MODELS.register_module()
class AULLoss(BaseClsLoss):
    r"""Asymmetric unhinged loss (``AUELoss`` in the official code).

    .. math::
        \mathrm{AUL}(z, y) = s \frac{(a - p_y)^q - (a - 1)^q}{q},
        \quad a > 1, \ q > 0

    Zero at ``p_y = 1``; completely asymmetric for ``q <= 1``.

    Args:
        a (float): Offset, > 1. Defaults to 5.5 (CIFAR-10/100, ALFs
            ``config.py``).
        q (float): Exponent, > 0. Defaults to 3.0.
        scale (float): ``s``. Defaults to 1.0.
        reduction (str): Defaults to ``'mean'``.
        loss_weight (float): Defaults to 1.0.
    """

    def __init__(self,
                 a: float = 5.5,
                 q: float = 3.0,
                 scale: float = 1.0,
                 reduction: str = 'mean',
                 loss_weight: float = 1.0):
        super().__init__(reduction, loss_weight)
        check_positive('AULLoss', q=q, scale=scale)
        if not (isinstance(a, (int, float)) and 1 < a < float('inf')):
            raise ValueError(f'AULLoss: a must be a finite number > 1, got '
                             f'{a!r}')
        self.a, self.q, self.scale = a, q, scale

    def elementwise(self, view: LogitView) -> torch.Tensor:
        return self.scale * _aul(view, self.a, self.q)


@MODELS.register_module()
class AELLoss(BaseClsLoss):
    r"""Asymmetric exponential loss (``AExpLoss`` in the official code).

    .. math::
        \mathrm{AEL}(z, y) = s \exp(-p_y / a), \quad a > 0

    No constant offset: the minimum is ``s e^{-1/a}`` at ``p_y = 1``, as in
    the official code. Asymmetric when ``e^{1/a} <= 1/r``.

    Args:
        a (float): Temperature, > 0. Defaults to 2.5 (CIFAR-10/100, ALFs
            ``config.py``).
        scale (float): ``s``. Defaults to 1.0.
        reduction (str): Defaults to ``'mean'``.
        loss_weight (float): Defaults to 1.0.
    """

    def __init__(self,
                 a: float = 2.5,
                 scale: float = 1.0,
                 reduction: str = 'mean',
                 loss_weight: float = 1.0):
        super().__init__(reduction, loss_weight)
        check_positive('AELLoss', a=a, scale=scale)
        self.a, self.scale = a, scale

    def elementwise(self, view: LogitView) -> torch.Tensor:
        return self.scale * _ael(view, self.a)
