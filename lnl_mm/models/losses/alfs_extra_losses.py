# Copyright (c) lnl_mm contributors. All rights reserved.
"""The other pairs of the ALFs code: NFL + AGCE/AUL/AEL and the ANL pairs.

hitcszx/ALFs ``lnl/losses.py`` (`Asymmetric Loss Functions for
Noise-tolerant Learning: Theory and Applications
<https://arxiv.org/abs/2106.03110>`_, the T-PAMI extension) defines these
beside the NCE pairs of the paper's tables (:mod:`.nce_asymmetric_losses`);
``lnl/config.py`` gives them no preset. Each is ``alpha * active + beta *
passive`` with the official class's defaults. The NFL inside is built with
NFL's default ``gamma = 0.5`` (the official classes do not pass theirs).
"""
from mmpretrain.registry import MODELS

from .apl_extra_losses import _Pair
from .rce_loss import LOG_ZERO_CODE


def _nfl(detach: str) -> dict:
    return dict(type='NFLLoss', gamma=0.5, detach=detach)


@MODELS.register_module()
class NFLandAGCELoss(_Pair):
    r"""``alpha * NFL + beta * AGCE`` (ALFs ``NFLandAGCE``).

    Args:
        alpha (float): Weight of NFL. Defaults to 1.0.
        beta (float): Weight of AGCE. Defaults to 1.0.
        a (float): AGCE offset, > 0. Defaults to 3.0.
        q (float): AGCE exponent, > 0. Defaults to 2.0.
        detach (str): NFL's ``detach`` (:class:`~lnl_mm.models.losses.
            NFLLoss`). Defaults to ``'factor'`` (official).
        reduction (str): Defaults to ``'mean'``.
        loss_weight (float): Defaults to 1.0.
    """

    def __init__(self,
                 alpha: float = 1.0,
                 beta: float = 1.0,
                 a: float = 3.0,
                 q: float = 2.0,
                 detach: str = 'factor',
                 reduction: str = 'mean',
                 loss_weight: float = 1.0):
        super().__init__(
            _nfl(detach), dict(type='AGCELoss', a=a, q=q), alpha, beta,
            reduction, loss_weight)


@MODELS.register_module()
class NFLandAULLoss(_Pair):
    r"""``alpha * NFL + beta * AUL`` (ALFs ``NFLandAUE``).

    Args:
        alpha (float): Weight of NFL. Defaults to 1.0.
        beta (float): Weight of AUL. Defaults to 1.0.
        a (float): AUL offset, > 1. Defaults to 1.5.
        q (float): AUL exponent, > 0. Defaults to 0.9.
        detach (str): NFL's ``detach``. Defaults to ``'factor'`` (official).
        reduction (str): Defaults to ``'mean'``.
        loss_weight (float): Defaults to 1.0.
    """

    def __init__(self,
                 alpha: float = 1.0,
                 beta: float = 1.0,
                 a: float = 1.5,
                 q: float = 0.9,
                 detach: str = 'factor',
                 reduction: str = 'mean',
                 loss_weight: float = 1.0):
        super().__init__(
            _nfl(detach), dict(type='AULLoss', a=a, q=q), alpha, beta,
            reduction, loss_weight)


@MODELS.register_module()
class NFLandAELLoss(_Pair):
    r"""``alpha * NFL + beta * AEL`` (ALFs ``NFLandAEL``).

    Args:
        alpha (float): Weight of NFL. Defaults to 1.0.
        beta (float): Weight of AEL. Defaults to 1.0.
        a (float): AEL temperature, > 0. Defaults to 3.0.
        detach (str): NFL's ``detach``. Defaults to ``'factor'`` (official).
        reduction (str): Defaults to ``'mean'``.
        loss_weight (float): Defaults to 1.0.
    """

    def __init__(self,
                 alpha: float = 1.0,
                 beta: float = 1.0,
                 a: float = 3.0,
                 detach: str = 'factor',
                 reduction: str = 'mean',
                 loss_weight: float = 1.0):
        super().__init__(
            _nfl(detach), dict(type='AELLoss', a=a), alpha, beta, reduction,
            loss_weight)


@MODELS.register_module()
class NCEandANLLoss(_Pair):
    r"""``alpha * NCE + beta * ANL`` (ALFs ``NCEandANL``).

    Args:
        alpha (float): Weight of NCE. Defaults to 1.0.
        beta (float): Weight of ANL (:class:`~lnl_mm.models.losses.
            ANormLoss`). Defaults to 1.0.
        a (float): ANL target scale, >= 1. Defaults to 2.0.
        p (float): ANL exponent, > 0. Defaults to 0.7.
        reduction (str): Defaults to ``'mean'``.
        loss_weight (float): Defaults to 1.0.
    """

    def __init__(self,
                 alpha: float = 1.0,
                 beta: float = 1.0,
                 a: float = 2.0,
                 p: float = 0.7,
                 reduction: str = 'mean',
                 loss_weight: float = 1.0):
        super().__init__(
            dict(type='NCELoss'), dict(type='ANormLoss', a=a, p=p), alpha,
            beta, reduction, loss_weight)


@MODELS.register_module()
class ANLandRCELoss(_Pair):
    r"""``alpha * ANL + beta * RCE`` (ALFs ``ANLandRCE``).

    Args:
        alpha (float): Weight of ANL. Defaults to 1.0.
        beta (float): Weight of RCE. Defaults to 1.0.
        a (float): ANL target scale, >= 1. Defaults to 2.0.
        p (float): ANL exponent, > 0. Defaults to 0.7.
        log_zero (float): ``A`` of RCE. Defaults to ``log(1e-4)``.
        reduction (str): Defaults to ``'mean'``.
        loss_weight (float): Defaults to 1.0.
    """

    def __init__(self,
                 alpha: float = 1.0,
                 beta: float = 1.0,
                 a: float = 2.0,
                 p: float = 0.7,
                 log_zero: float = LOG_ZERO_CODE,
                 reduction: str = 'mean',
                 loss_weight: float = 1.0):
        super().__init__(
            dict(type='ANormLoss', a=a, p=p),
            dict(type='RCELoss', log_zero=log_zero), alpha, beta, reduction,
            loss_weight)
