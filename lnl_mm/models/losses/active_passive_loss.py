# Copyright (c) lnl_mm contributors. All rights reserved.
"""Active-passive loss combinations (APL) and NCE + asymmetric losses.

`Normalized Loss Functions for Deep Learning with Noisy Labels
<https://arxiv.org/abs/2006.13554>`_ (ICML 2020) and `Asymmetric Loss
Functions for Learning with Noisy Labels <https://arxiv.org/abs/2106.03110>`_
(ICML 2021).

Inside every combination the official code uses the passive terms with unit
scale: ``MAE = 1 - p_y`` (half the L1 distance) and ``RCE = -A (1 - p_y)``
with ``A = log(1e-4)``; the published alpha / beta assume these scales, and
so do the named classes below.
"""
import torch
from mmpretrain.registry import MODELS

from .utils import (BaseClsLoss, LogitView, check_non_negative,
                    speaks_for_its_formula)


@MODELS.register_module()
class ActivePassiveLoss(BaseClsLoss):
    r"""``alpha * active + beta * passive`` for any two registered losses.

    .. math::
        L_{APL}(z, y) = \alpha \, L_{active}(z, y) + \beta \, L_{passive}(z, y)

    Args:
        active (dict): Config of the active loss, e.g.
            ``dict(type='NCELoss')``.
            Its ``reduction`` and ``loss_weight`` are ignored (per sample).
        passive (dict): Config of the passive loss.
        alpha (float): Weight of the active loss, >= 0. Defaults to 1.0.
        beta (float): Weight of the passive loss, >= 0. Defaults to 1.0.
        reduction (str): Defaults to ``'mean'``.
        loss_weight (float): Defaults to 1.0.
    """

    def __init__(self,
                 active: dict,
                 passive: dict,
                 alpha: float = 1.0,
                 beta: float = 1.0,
                 reduction: str = 'mean',
                 loss_weight: float = 1.0):
        super().__init__(reduction, loss_weight)
        name = type(self).__name__
        check_non_negative(name, alpha=alpha, beta=beta)
        self.active = self._build(name, 'active', active)
        self.passive = self._build(name, 'passive', passive)
        self.alpha = alpha
        self.beta = beta

    @staticmethod
    def _build(name: str, key: str, cfg: dict) -> BaseClsLoss:
        if not isinstance(cfg, dict) or 'type' not in cfg:
            raise TypeError(f'{name}: {key} must be a loss config dict with '
                            f"a 'type', got {cfg!r}")
        loss = MODELS.build(cfg)
        if not isinstance(loss, BaseClsLoss):
            raise TypeError(f'{name}: {key} loss {cfg["type"]!r} is not an '
                            'lnl_mm robust loss (it has no per-sample form)')
        return loss

    def elementwise(self, view: LogitView) -> torch.Tensor:
        if (self.alpha and self.beta and not view.soft
                and speaks_for_its_formula(self.passive, 'passive_weight')
                and speaks_for_its_formula(self.active,
                                           'elementwise_with_passive')):
            # NFL / NGCE + MAE / RCE: one closed-form node (same values)
            weight = self.passive.passive_weight()
            if weight is not None:
                fused = self.active.elementwise_with_passive(
                    view, self.alpha, self.beta * weight)
                if fused is not None:
                    return fused
        # alpha = 0 (the released MNIST NCE+X settings) skips the term
        # instead of multiplying a possibly infinite value by zero.
        terms = []
        if self.alpha:
            terms.append(self.alpha * self.active.elementwise(view))
        if self.beta:
            terms.append(self.beta * self.passive.elementwise(view))
        if not terms:  # alpha = beta = 0: zeros that keep the graph
            return view.z.sum(dim=1) * 0.
        return terms[0] if len(terms) == 1 else terms[0] + terms[1]
