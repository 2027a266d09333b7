# Copyright (c) lnl_mm contributors. All rights reserved.
"""Squared error of pixels."""
import torch
from mmpretrain.registry import MODELS

from .regression_utils import BaseRegressionLoss


@MODELS.register_module()
class MSERegressionLoss(BaseRegressionLoss):
    r"""Squared error ``ell(d) = d^2``, mean by default (``nn.MSELoss``,
    the ALFs denoising fallback).

    `Beyond a Gaussian Denoiser <https://arxiv.org/abs/1608.03981>`_

    Args:
        reduction (str): Defaults to ``'mean'``.
        loss_weight (float): Defaults to 1.0.
        mask_mean (str): With a mask and ``reduction='mean'``, divide by
            ``'all'`` pixels (default; the official n2s code averages the
            masked-out zeros too) or by the ``'masked'`` ones.
    """

    def __init__(self,
                 reduction: str = 'mean',
                 loss_weight: float = 1.0,
                 mask_mean: str = 'all'):
        super().__init__(reduction, loss_weight, mask_mean)

    def elementwise(self, d: torch.Tensor) -> torch.Tensor:
        return d * d
