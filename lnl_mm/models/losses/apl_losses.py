# Copyright (c) lnl_mm contributors. All rights reserved.
"""The six active-passive combinations of APL.

`Normalized Loss Functions for Deep Learning with Noisy Labels
<https://arxiv.org/abs/2006.13554>`_ (ICML 2020). Defaults are the CIFAR-10
values of both official repositories; :func:`LossPreset` has the rest.
"""
from mmpretrain.registry import MODELS

from .active_passive_loss import ActivePassiveLoss
from .rce_loss import LOG_ZERO_CODE


@MODELS.register_module()
class NCEandMAELoss(ActivePassiveLoss):
    r"""``alpha * NCE + beta * MAE``.

    `Normalized Loss Functions for Deep Learning with Noisy Labels
    <https://arxiv.org/abs/2006.13554>`_

    .. math::
        L = \alpha \, \mathrm{NCE}(z, y) + \beta \, \mathrm{MAE}(z, y)

    MAE is ``1 - p_y`` here (unit scale, as in the official code).

    Args:
        alpha (float): Weight of NCE. Defaults to 1.0 (CIFAR-10).
        beta (float): Weight of MAE. Defaults to 1.0 (CIFAR-10).
        reduction (str): Defaults to ``'mean'``.
        loss_weight (float): Defaults to 1.0.
    """

    def __init__(self,
                 alpha: float = 1.0,
                 beta: float = 1.0,
                 reduction: str = 'mean',
                 loss_weight: float = 1.0):
        super().__init__(
            active=dict(type='NCELoss'),
            passive=dict(type='MAELoss', scale=1.0),
            alpha=alpha,
            beta=beta,
            reduction=reduction,
            loss_weight=loss_weight)


@MODELS.register_module()
class NCEandRCELoss(ActivePassiveLoss):
    r"""``alpha * NCE + beta * RCE``.

    `Normalized Loss Functions for Deep Learning with Noisy Labels
    <https://arxiv.org/abs/2006.13554>`_

    .. math::
        L = \alpha \, \mathrm{NCE}(z, y) + \beta \, \mathrm{RCE}(z, y)

    RCE is ``-A (1 - p_y)``, ``A = log_zero`` (official ``log(1e-4)``).

    Args:
        alpha (float): Weight of NCE. Defaults to 1.0 (CIFAR-10).
        beta (float): Weight of RCE. Defaults to 1.0 (CIFAR-10).
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
            active=dict(type='NCELoss'),
            passive=dict(type='RCELoss', log_zero=log_zero),
            alpha=alpha,
            beta=beta,
            reduction=reduction,
            loss_weight=loss_weight)


@MODELS.register_module()
class NFLandMAELoss(ActivePassiveLoss):
    r"""``alpha * NFL + beta * MAE``.

    `Normalized Loss Functions for Deep Learning with Noisy Labels
    <https://arxiv.org/abs/2006.13554>`_

    .. math::
        L = \alpha \, \mathrm{NFL}(z, y) + \beta \, \mathrm{MAE}(z, y)

    MAE is ``1 - p_y`` here (unit scale, as in the official code).

    Args:
        alpha (float): Weight of NFL. Defaults to 1.0 (CIFAR-10).
        beta (float): Weight of MAE. Defaults to 1.0 (CIFAR-10).
        gamma (float): Focusing parameter of NFL. Defaults to 0.5.
        detach (str): What NFL's gradient treats as a constant (see
            :class:`NFLLoss`). Defaults to ``'factor'`` (official).
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
            active=dict(type='NFLLoss', gamma=gamma, detach=detach),
            passive=dict(type='MAELoss', scale=1.0),
            alpha=alpha,
            beta=beta,
            reduction=reduction,
            loss_weight=loss_weight)


@MODELS.register_module()
class NFLandRCELoss(ActivePassiveLoss):
    r"""``alpha * NFL + beta * RCE``.

    `Normalized Loss Functions for Deep Learning with Noisy Labels
    <https://arxiv.org/abs/2006.13554>`_

    .. math::
        L = \alpha \, \mathrm{NFL}(z, y) + \beta \, \mathrm{RCE}(z, y)

    RCE is ``-A (1 - p_y)``, ``A = log_zero`` (official ``log(1e-4)``).

    Args:
        alpha (float): Weight of NFL. Defaults to 1.0 (CIFAR-10).
        beta (float): Weight of RCE. Defaults to 1.0 (CIFAR-10).
        gamma (float): Focusing parameter of NFL. Defaults to 0.5.
        detach (str): What NFL's gradient treats as a constant (see
            :class:`NFLLoss`). Defaults to ``'factor'`` (official).
        log_zero (float): ``A`` of RCE. Defaults to ``log(1e-4)``.
        reduction (str): Defaults to ``'mean'``.
        loss_weight (float): Defaults to 1.0.
    """

    def __init__(self,
                 alpha: float = 1.0,
                 beta: float = 1.0,
                 gamma: float = 0.5,
                 detach: str = 'factor',
                 log_zero: float = LOG_ZERO_CODE,
                 reduction: str = 'mean',
                 loss_weight: float = 1.0):
        super().__init__(
            active=dict(type='NFLLoss', gamma=gamma, detach=detach),
            passive=dict(type='RCELoss', log_zero=log_zero),
            alpha=alpha,
            beta=beta,
            reduction=reduction,
            loss_weight=loss_weight)


@MODELS.register_module()
class NGCEandMAELoss(ActivePassiveLoss):
    r"""``alpha * NGCE + beta * MAE``.

    `Normalized Loss Functions for Deep Learning with Noisy Labels
    <https://arxiv.org/abs/2006.13554>`_

    .. math::
        L = \alpha \, \mathrm{NGCE}(z, y) + \beta \, \mathrm{MAE}(z, y)

    MAE is ``1 - p_y`` here (unit scale, as in the official code).

    Args:
        alpha (float): Weight of NGCE. Defaults to 1.0 (CIFAR-10).
        beta (float): Weight of MAE. Defaults to 1.0 (CIFAR-10).
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
            active=dict(type='NGCELoss', q=q),
            passive=dict(type='MAELoss', scale=1.0),
            alpha=alpha,
            beta=beta,
            reduction=reduction,
            loss_weight=loss_weight)


@MODELS.register_module()
class NGCEandRCELoss(ActivePassiveLoss):
    r"""``alpha * NGCE + beta * RCE``.

    `Normalized Loss Functions for Deep Learning with Noisy Labels
    <https://arxiv.org/abs/2006.13554>`_

    .. math::
        L = \alpha \, \mathrm{NGCE}(z, y) + \beta \, \mathrm{RCE}(z, y)

    RCE is ``-A (1 - p_y)``, ``A = log_zero`` (official ``log(1e-4)``).

    Args:
        alpha (float): Weight of NGCE. Defaults to 1.0 (CIFAR-10).
        beta (float): Weight of RCE. Defaults to 1.0 (CIFAR-10).
        q (float): Exponent of NGCE. Defaults to 0.7.
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
            active=dict(type='NGCELoss', q=q),
            passive=dict(type='RCELoss', log_zero=log_zero),
            alpha=alpha,
            beta=beta,
            reduction=reduction,
            loss_weight=loss_weight)
