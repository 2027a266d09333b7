# Copyright (c) lnl_mm contributors. All rights reserved.
"""Negative Poisson-kernel loss (``poissonA`` of the ALFs scripts)."""
import math

import torch
from mmpretrain.registry import MODELS

from .regression_utils import BaseRegressionLoss
from .utils import check_positive


@MODELS.register_module()
class PoissonKernelLoss(BaseRegressionLoss):
    r"""Bounded pixel loss from the Poisson kernel.

    `Asymmetric Loss Functions for Noise-tolerant Learning: Theory and
    Applications <https://arxiv.org/abs/2106.01617>`_ (ALFs, denoising part)

    .. math::
        \ell(d) = \frac{1}{\pi a} - \frac{a}{\pi (a^2 + d^2)}
        = \frac{d^2}{\pi a (a^2 + d^2)} \in \left[0, \frac{1}{\pi a}\right)

    (computed in the second form, without cancellation).

    Args:
        a (float): Kernel width, > 0.
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
        check_positive('PoissonKernelLoss', a=a)
        self.a = float(a)

    def elementwise(self, d: torch.Tensor) -> torch.Tensor:
        a = self.a
        d2 = d * d
        return d2 / (math.pi * a * (a * a + d2))
