# Copyright (c) lnl_mm contributors. All rights reserved.
"""Lp error of pixels (``lpP`` of the ALFs denoising scripts)."""
import torch
from mmpretrain.registry import MODELS

from .regression_utils import BaseRegressionLoss
from .utils import check_positive

#: Added to |d| before the power so the gradient is finite at d = 0 for p < 1.
LP_EPS = 1e-7


@MODELS.register_module()
class LpRegressionLoss(BaseRegressionLoss):
    r"""``ell(d) = (|d| + 10^{-7})^p``: p = 2 is the squared error, p = 1 the
    absolute error, p < 1 is robust to outliers (impulse noise).

    `Asymmetric Loss Functions for Noise-tolerant Learning: Theory and
    Applications <https://arxiv.org/abs/2106.01617>`_ (ALFs, denoising part)

    Args:
        p (float): Exponent, > 0.
        reduction (str): Defaults to ``'sum'`` (the ALFs default).
        loss_weight (float): Defaults to 1.0.
        mask_mean (str): With a mask and ``reduction='mean'``, divide by
            ``'all'`` pixels (default; the official n2s code averages the
            masked-out zeros too) or by the ``'masked'`` ones.
    """

    def __init__(self,
                 p: float,
                 reduction: str = 'sum',
                 loss_weight: float = 1.0,
                 mask_mean: str = 'all'):
        super().__init__(reduction, loss_weight, mask_mean)
        check_positive('LpRegressionLoss', p=p)
        self.p = float(p)

    def elementwise(self, d: torch.Tensor) -> torch.Tensor:
        return (d.abs() + LP_EPS).pow(self.p)
