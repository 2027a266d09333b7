# Copyright (c) lnl_mm contributors. All rights reserved.
"""NCE combined with an asymmetric loss: NCE+AGCE, NCE+AUL, NCE+AEL.

`Asymmetric Loss Functions for Learning with Noisy Labels
<https://arxiv.org/abs/2106.03110>`_ (ICML 2021). Defaults are the CIFAR-10
values of the ALFs ``config.py``; :func:`LossPreset` has the rest.
"""
from mmpretrain.registry import MODELS

from .active_passive_loss import ActivePassiveLoss


@MODELS.register_module()
class NCEandAGCELoss(ActivePassiveLoss):
    r"""``alpha * NCE + beta * AGCE``.

    `Asymmetric Loss Functions for Learning with Noisy Labels
    <https://arxiv.org/abs/2106.03110>`_

    .. math::
        L = \alpha \, \mathrm{NCE}(z, y) + \beta \, \mathrm{AGCE}(z, y)

    CIFAR-10 defaults of the ALFs ``config.py`` (also the paper protocol).

    Args:
        alpha (float): Weight of NCE. Defaults to 1.0 (CIFAR-10).
        beta (float): Weight of AGCE. Defaults to 4.0 (CIFAR-10).
        a (float): AGCE offset, > 0. Defaults to 6.0.
        q (float): AGCE exponent, > 0. Defaults to 1.5.
        reduction (str): Defaults to ``'mean'``.
        loss_weight (float): Defaults to 1.0.
    """

    def __init__(self,
                 alpha: float = 1.0,
                 beta: float = 4.0,
                 a: float = 6.0,
                 q: float = 1.5,
                 reduction: str = 'mean',
                 loss_weight: float = 1.0):
        super().__init__(
            active=dict(type='NCELoss'),
            passive=dict(type='AGCELoss', a=a, q=q),
            alpha=alpha,
            beta=beta,
            reduction=reduction,
            loss_weight=loss_weight)


@MODELS.register_module()
class NCEandAULLoss(ActivePassiveLoss):
    r"""``alpha * NCE + beta * AUL``.

    `Asymmetric Loss Functions for Learning with Noisy Labels
    <https://arxiv.org/abs/2106.03110>`_

    .. math::
        L = \alpha \, \mathrm{NCE}(z, y) + \beta \, \mathrm{AUL}(z, y)

    CIFAR-10 defaults of the ALFs ``config.py`` (also the paper protocol).

    Args:
        alpha (float): Weight of NCE. Defaults to 1.0 (CIFAR-10).
        beta (float): Weight of AUL. Defaults to 4.0 (CIFAR-10).
        a (float): AUL offset, > 1. Defaults to 6.3.
        q (float): AUL exponent, > 0. Defaults to 1.5.
        reduction (str): Defaults to ``'mean'``.
        loss_weight (float): Defaults to 1.0.
    """

    def __init__(self,
                 alpha: float = 1.0,
                 beta: float = 4.0,
                 a: float = 6.3,
                 q: float = 1.5,
                 reduction: str = 'mean',
                 loss_weight: float = 1.0):
        super().__init__(
            active=dict(type='NCELoss'),
            passive=dict(type='AULLoss', a=a, q=q),
            alpha=alpha,
            beta=beta,
            reduction=reduction,
            loss_weight=loss_weight)


@MODELS.register_module()
class NCEandAELLoss(ActivePassiveLoss):
    r"""``alpha * NCE + beta * AEL``.

    `Asymmetric Loss Functions for Learning with Noisy Labels
    <https://arxiv.org/abs/2106.03110>`_

    .. math::
        L = \alpha \, \mathrm{NCE}(z, y) + \beta \, \mathrm{AEL}(z, y)

    CIFAR-10 defaults of the ALFs ``config.py`` (also the paper protocol).

    Args:
        alpha (float): Weight of NCE. Defaults to 1.0 (CIFAR-10).
        beta (float): Weight of AEL. Defaults to 4.0 (CIFAR-10).
        a (float): AEL temperature, > 0. Defaults to 5.0.
        reduction (str): Defaults to ``'mean'``.
        loss_weight (float): Defaults to 1.0.
    """

    def __init__(self,
                 alpha: float = 1.0,
                 beta: float = 4.0,
                 a: float = 5.0,
                 reduction: str = 'mean',
                 loss_weight: float = 1.0):
        super().__init__(
            active=dict(type='NCELoss'),
            passive=dict(type='AELLoss', a=a),
            alpha=alpha,
            beta=beta,
            reduction=reduction,
            loss_weight=loss_weight)
