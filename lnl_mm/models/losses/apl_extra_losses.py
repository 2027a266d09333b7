# Copyright (c) lnl_mm contributors. All rights reserved.
"""The other active-passive pairs of APL's ``loss.py``.

`Normalized Loss Functions for Deep Learning with Noisy Labels
<https://arxiv.org/abs/2006.13554>`_ (ICML 2020). APL's code registers
these pairs beside the six of the paper's tables (:mod:`.apl_losses`); they
have no preset. Each is ``alpha * active + beta * passive``.

Three official classes ignore some of their weights: ``GCEandMAE`` and
``GCEandRCE`` never scale GCE by ``alpha``, and ``GCEandNCE`` scales
neither term. Here both weights always apply (a weight that is accepted and
ignored is a bug); ``alpha=1`` (and ``beta=1`` for GCE+NCE) reproduces the
official classes exactly.
"""
from mmpretrain.registry import MODELS

from .active_passive_loss import ActivePassiveLoss
from .rce_loss import LOG_ZERO_CODE


class _Pair(ActivePassiveLoss):
    """``alpha * active + beta * passive`` with fixed member types."""

    def __init__(self, active: dict, passive: dict, alpha: float, beta: float,
                 reduction: str, loss_weight: float):
        super().__init__(
            active=active,
            passive=passive,
            alpha=alpha,
            beta=beta,
            reduction=reduction,
            loss_weight=loss_weight)


@MODELS.register_module()
class GCEandMAELoss(_Pair):
    r"""``alpha * GCE + beta * MAE`` (APL ``GCEandMAE``; MAE ``1 - p_y``).

    Args:
        alpha (float): Weight of GCE (the official class ignores it:
            ``alpha=1`` reproduces it). Defaults to 1.0.
        beta (float): Weight of MAE. Defaults to 1.0.
        q (float): Exponent of GCE. Defaults to 0.7.
        reduction (str): Defaults to ``'mean'``.
        loss_weight (float): Defaults to 1.0.
    """

    def __init__(self,
                 alpha: float = 1.0,
                 beta: float = 1.0,
                 q: float = 0.7,
                 reduction: str = 'mean',
                 loss_weight: float = 1.0):
        super().__init__(
            dict(type='GCELoss', q=q), dict(type='MAELoss', scale=1.0), alpha,
            beta, reduction, loss_weight)


@MODELS.register_module()
class GCEandRCELoss(_Pair):
    r"""``alpha * GCE + beta * RCE`` (APL ``GCEandRCE``).

    Args:
        alpha (float): Weight of GCE (the official class ignores it:
            ``alpha=1`` reproduces it). Defaults to 1.0.
        beta (float): Weight of RCE. Defaults to 1.0.
        q (float): Exponent of GCE. Defaults to 0.7.
        log_zero (float): ``A`` of RCE. Defaults to ``log(1e-4)``.
        reduction (str): Defaults to ``'mean'``.
        loss_weight (float): Defaults to 1.0.
    """

    def __init__(self,
                 alpha: float = 1.0,
                 beta: float = 1.0,
                 q: float = 0.7,
                 log_zero: float = LOG_ZERO_CODE,
                 reduction: str = 'mean',
                 loss_weight: float = 1.0):
        super().__init__(
            dict(type='GCELoss', q=q), dict(type='RCELoss', log_zero=log_zero),
            alpha, beta, reduction, loss_weight)


@MODELS.register_module()
class GCEandNCELoss(_Pair):
    r"""``alpha * GCE + beta * NCE`` (APL ``GCEandNCE``).

    Args:
        alpha (float): Weight of GCE. Defaults to 1.0.
        beta (float): Weight of NCE. Defaults to 1.0. (The official class
            ignores both: the defaults reproduce it.)
        q (float): Exponent of GCE. Defaults to 0.7.
        reduction (str): Defaults to ``'mean'``.
        loss_weight (float): Defaults to 1.0.
    """

    def __init__(self,
                 alpha: float = 1.0,
                 beta: float = 1.0,
                 q: float = 0.7,
                 reduction: str = 'mean',
                 loss_weight: float = 1.0):
        super().__init__(
            dict(type='GCELoss', q=q), dict(type='NCELoss'), alpha, beta,
            reduction, loss_weight)


@MODELS.register_module()
class NGCEandNCELoss(_Pair):
    r"""``alpha * NGCE + beta * NCE`` (APL ``NGCEandNCE``).

    Args:
        alpha (float): Weight of NGCE. Defaults to 1.0.
        beta (float): Weight of NCE. Defaults to 1.0.
        q (float): Exponent of NGCE. Defaults to 0.7.
        reduction (str): Defaults to ``'mean'``.
        loss_weight (float): Defaults to 1.0.
    """

    def __init__(self,
                 alpha: float = 1.0,
                 beta: float = 1.0,
                 q: float = 0.7,
                 reduction: str = 'mean',
                 loss_weight: float = 1.0):
        super().__init__(
            dict(type='NGCELoss', q=q), dict(type='NCELoss'), alpha, beta,
            reduction, loss_weight)


@MODELS.register_module()
class MAEandRCELoss(_Pair):
    r"""``alpha * MAE + beta * RCE`` (APL ``MAEandRCE``; MAE ``1 - p_y``).

    Args:
        alpha (float): Weight of MAE. Defaults to 1.0.
        beta (float): Weight of RCE. Defaults to 1.0.
        log_zero (float): ``A`` of RCE. Defaults to ``log(1e-4)``.
        reduction (str): Defaults to ``'mean'``.
        loss_weight (float): Defaults to 1.0.
    """

    def __init__(self,
                 alpha: float = 1.0,
                 beta: float = 1.0,
                 log_zero: float = LOG_ZERO_CODE,
                 reduction: str = 'mean',
                 loss_weight: float = 1.0):
        super().__init__(
            dict(type='MAELoss', scale=1.0),
            dict(type='RCELoss', log_zero=log_zero), alpha, beta, reduction,
            loss_weight)


@MODELS.register_module()
class NFLandNCELoss(_Pair):
    r"""``alpha * NFL + beta * NCE`` (APL ``NFLandNCE``).

    Args:
        alpha (float): Weight of NFL. Defaults to 1.0.
        beta (float): Weight of NCE. Defaults to 1.0.
        gamma (float): Focusing parameter of NFL. Defaults to 0.5.
        detach (str): What NFL's gradient treats as a constant (see
            :class:`~lnl_mm.models.losses.NFLLoss`). Defaults to
            ``'factor'`` (official).
        reduction (str): Defaults to ``'mean'``.
        loss_weight (float): Defaults to 1.0.
    """

    def __init__(self,
                 alpha: float = 1.0,
                 beta: float = 1.0,
                 gamma: float = 0.5,
                 detach: str = 'factor',
                 reduction: str = 'mean',
                 loss_weight: float = 1.0):
        super().__init__(
            dict(type='NFLLoss', gamma=gamma, detach=detach),
            dict(type='NCELoss'), alpha, beta, reduction, loss_weight)
