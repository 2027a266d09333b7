# Copyright (c) lnl_mm contributors. All rights reserved.
"""Shared plumbing of the pixel regression losses (denoising).

A loss is ``L = reduce(ell(d) · mask)`` with ``d = pred - target`` per
pixel, computed in float32 (float64 stays float64). With a ``mask`` (the
masked pixels of noise2self) only masked pixels count: ``sum`` adds them;
``mean`` divides by all pixels, as the official n2s code (which computes
``criterion(pred * mask, target * mask)``), or by the masked ones with
``mask_mean='masked'``. The mask is binary (0 / 1), as the n2s masker's,
where ``ell(d) * mask`` and ``ell(d * mask)`` agree.
"""
import re
from typing import Optional, Union

import torch
import torch.nn as nn
from mmpretrain.registry import MODELS

from .utils import check_positive, check_reduction, upcast

#: compact name prefix -> (registered type, parameter name)
COMPACT_LOSSES = {
    'lp': ('LpRegressionLoss', 'p'),
    'heat': ('HeatKernelLoss', 'a'),
    'poisson': ('PoissonKernelLoss', 'a'),
}
#: The denominators of a masked mean.
MASK_MEANS = ('all', 'masked')
_COMPACT = re.compile(r'^([a-z]+?)(\d+(?:\.\d*)?|\.\d+)$')


class BaseRegressionLoss(nn.Module):
    """Base of the pixel losses: elementwise ``ell(d)``, mask, reduction.

    Args:
        reduction (str): ``'none'``, ``'mean'`` or ``'sum'``.
        loss_weight (float): Multiplier. Defaults to 1.0.
        mask_mean (str): With a mask and ``reduction='mean'``, divide by
            ``'all'`` pixels (the official n2s code) or by the ``'masked'``
            ones. Defaults to ``'all'``.
    """

    def __init__(self,
                 reduction: str = 'sum',
                 loss_weight: float = 1.0,
                 mask_mean: str = 'all'):
        super().__init__()
        check_reduction(type(self).__name__, 'reduction', reduction)
        if mask_mean not in MASK_MEANS:
            raise ValueError(
                f'{type(self).__name__}: mask_mean must be one of '
                f'{MASK_MEANS}, got mask_mean={mask_mean!r}')
        self.reduction = reduction
        self.loss_weight = loss_weight
        self.mask_mean = mask_mean

    def elementwise(self, d: torch.Tensor) -> torch.Tensor:
        """Per-pixel loss of the residual ``d``."""
        raise NotImplementedError

    def forward(self,
                pred: torch.Tensor,
                target: torch.Tensor,
                mask: Optional[torch.Tensor] = None,
                reduction_override: Optional[str] = None) -> torch.Tensor:
        """Loss of ``pred`` against ``target`` (same shape).

        Args:
            pred (Tensor): Predicted images ``(N, C, H, W)``.
            target (Tensor): Target images, same shape.
            mask (Tensor, optional): 1 on the pixels that count,
                broadcastable to ``pred``.
            reduction_override (str, optional): Overrides ``reduction``.
        """
        if pred.shape != target.shape:
            raise ValueError(f'{type(self).__name__}: pred {tuple(pred.shape)}'
                             f' and target {tuple(target.shape)} differ')
        reduction = reduction_override or self.reduction
        check_reduction(type(self).__name__, 'reduction_override', reduction)
        loss = self.elementwise(upcast(pred) - upcast(target))
        if mask is not None:
            mask = mask.to(loss.dtype).expand_as(loss)
            loss = loss * mask
        if reduction == 'sum':
            loss = loss.sum()
        elif reduction == 'mean':
            denom = mask.sum() if (mask is not None and self.mask_mean
                                   == 'masked') else loss.numel()
            loss = loss.sum() / max(float(denom), 1.0)
        return self.loss_weight * loss


def build_regression_loss(spec: Union[str, dict]) -> nn.Module:
    """Build a pixel loss from a dict or a compact name of the ALFs scripts:
    ``'mse'``, ``'lp2'``, ``'heat0.1'``, ``'poisson0.2'``.

    Raises:
        ValueError: for an unknown or malformed name (``'heat'``,
            ``'heat-1'``, ``'l2'``).
    """
    if isinstance(spec, dict):
        return MODELS.build(spec)
    if not isinstance(spec, str):
        raise TypeError(f'loss must be a dict or a name, got {spec!r}')
    if spec == 'mse':
        return MODELS.build(dict(type='MSERegressionLoss'))
    m = _COMPACT.match(spec)
    if not m or m.group(1) not in COMPACT_LOSSES:
        raise ValueError(
            f'loss {spec!r}: expected mse, lpP, heatA or poissonA with a '
            'positive number, e.g. lp2, heat0.1, poisson0.2')
    kind, key = COMPACT_LOSSES[m.group(1)]
    value = float(m.group(2))
    check_positive(kind, **{key: value})
    return MODELS.build({'type': kind, key: value})
