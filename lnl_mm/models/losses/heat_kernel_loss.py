# Copyright (c) lnl_mm contributors. All rights reserved.
"""Negative heat-kernel loss (``heatA`` of the ALFs denoising scripts)."""
import math

import torch
from mmpretrain.registry import MODELS

from .regression_utils import BaseRegressionLoss
from .utils import check_positive


@MODELS.register_module()
class HeatKernelLoss(BaseRegressionLoss):
    r"""Bounded, hence robust, pixel loss from the heat kernel.

    `Asymmetric Loss Functions for Noise-tolerant Learning: Theory and
    Applications <https://arxiv.org/abs/2106.01617>`_ (ALFs, denoising part)

    .. math::
        \ell(d) = \frac{1}{a\sqrt{\pi}} \left(1 - e^{-d^2 / a^2}\right)
        \in \left[0, \frac{1}{a\sqrt{\pi}}\right)

    Args:
        a (float): Kernel width, > 0 (the official example ``heat0.1``).
        reduction (str): Defaults to ``'sum'``.
        loss_weight (float): Defaults to 1.0.
        mask_mean (str): With a mask and ``reduction='mean'``, divide by
            ``'all'`` pixels (default; the official n2s code averages the
            masked-out zeros too) or by the ``'masked'`` ones.
    """

    def __init__(self,
                 a: float,
                 reduction: str = 'sum',
                 loss_weight: float = 1.0,
                 mask_mean: str = 'all'):
        super().__init__(reduction, loss_weight, mask_mean)
        check_positive('HeatKernelLoss', a=a)
        self.a = float(a)

    def elementwise(self, d: torch.Tensor) -> torch.Tensor:
        a = self.a
        return -torch.expm1(-(d / a)**2) / (a * math.sqrt(math.pi))
