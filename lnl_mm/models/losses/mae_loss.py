# Copyright (c) lnl_mm contributors. All rights reserved.
"""Mean absolute error (MAE) and normalized MAE (NMAE) on probabilities."""
import torch
from mmpretrain.registry import MODELS

from .utils import BaseClsLoss, LogitView, check_positive


def mae_loss(cls_score: torch.Tensor,
             target: torch.Tensor,
             scale: float = 2.0) -> torch.Tensor:
    r"""Per-sample MAE between the target and the softmax.

    .. math::
        \mathrm{MAE}(z, t) = \frac{s}{2} \sum_k |t_k - p_k|
        \;\overset{t = e_y}{=}\; s (1 - p_y)

    Args:
        cls_score (Tensor): Logits ``(N, C)``.
        target (Tensor): Index labels or soft targets (the L1 distance to the
            target distribution).
        scale (float): ``s``; 2 is the textbook L1 distance. Defaults to 2.0.

    Returns:
        Tensor: Loss per sample ``(N,)``.
    """
    return _mae(LogitView(cls_score, target), scale)


def _mae(view: LogitView, scale: float) -> torch.Tensor:
    if not view.soft:
        # 1 - p_y from log p_y without cancellation
        return scale * -torch.expm1(view.logp_target)
    return 0.5 * scale * (view.soft_target - view.logp.exp()).abs().sum(1)


@MODELS.register_module()
class MAELoss(BaseClsLoss):
    r"""Mean absolute error on the softmax, a symmetric (robust) loss.

    `Robust Loss Functions under Label Noise for Deep Neural Networks
    <https://arxiv.org/abs/1712.09482>`_

    .. math::
        \mathrm{MAE}(z, y) = s (1 - p_y) = \frac{s}{2} \|e_y - p\|_1

    The repositories disagree on the scale: ALFs' standalone ``MAELoss``
    uses ``s = 2`` (the L1 distance, our default), APL's uses ``s = 1``
    (half of it), and inside every active-passive combination the term is
    ``beta (1 - p_y)``. Hyper-parameters such as ``beta = 100`` assume these
    scales, so the presets spell ``scale`` out.

    Args:
        scale (float): ``s``. Defaults to 2.0 (textbook, ALFs).
        reduction (str): Defaults to ``'mean'``.
        loss_weight (float): Defaults to 1.0.
    """

    def __init__(self,
                 scale: float = 2.0,
                 reduction: str = 'mean',
                 loss_weight: float = 1.0):
        super().__init__(reduction, loss_weight)
        check_positive('MAELoss', scale=scale)
        self.scale = scale

    def elementwise(self, view: LogitView) -> torch.Tensor:
        return _mae(view, self.scale)

    def passive_weight(self) -> float:
        return self.scale


@MODELS.register_module()
class NMAELoss(BaseClsLoss):
    r"""Normalized MAE, a passive loss.

    `Normalized Loss Functions for Deep Learning with Noisy Labels
    <https://arxiv.org/abs/2006.13554>`_

    .. math::
        \mathrm{NMAE}(z, y) = s \frac{\mathrm{MAE}(z, y)}
        {\sum_k \mathrm{MAE}(z, k)} = s \frac{1 - p_y}{C - 1}

    so :math:`\sum_k \mathrm{NMAE}(z, k) = s`. ALFs computes exactly this;
    APL's ``NormalizedMeanAbsoluteError`` is half of it (``scale=0.5``).

    Args:
        scale (float): Multiplier. Defaults to 1.0.
        reduction (str): Defaults to ``'mean'``.
        loss_weight (float): Defaults to 1.0.
    """

    def __init__(self,
                 scale: float = 1.0,
                 reduction: str = 'mean',
                 loss_weight: float = 1.0):
        super().__init__(reduction, loss_weight)
        check_positive('NMAELoss', scale=scale)
        self.scale = scale

    def elementwise(self, view: LogitView) -> torch.Tensor:
        one_minus_p = view.expect(lambda v: -torch.expm1(v))
        return self.scale * one_minus_p / (view.num_classes - 1)
