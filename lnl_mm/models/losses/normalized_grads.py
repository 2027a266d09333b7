# Copyright (c) lnl_mm contributors. All rights reserved.
r"""Closed-form backward passes of NFL and NGCE for index targets.

Both losses are ratios of sums over the classes, and autograd records a
dozen ``(N, C)`` operations for them (2.4-4.5x the time of CE). Their
gradients have short closed forms in the log-probabilities
:math:`\ell_k = \log p_k`, and through the log-softmax
:math:`\partial L / \partial z_j = g_j - p_j \sum_k g_k` with
:math:`g_k = \partial L / \partial \ell_k`:

- NFL, focal factors :math:`f_k = (1 - p_k)^\gamma` constant (the official
  code's gradient), :math:`a_k = -f_k \ell_k`, :math:`D = \sum_k a_k`,
  :math:`L = s\, a_y / D`:
  :math:`g_k = (L f_k - s f_y [k = y]) / D`.
- NGCE, :math:`P_k = \max(p_k, m)^q`, :math:`S = \sum_k P_k`,
  :math:`L = (1 - P_y) / (C - S)`:
  :math:`g_k = q\, [p_k \ge m]\, (L P_k - P_y [k = y]) / (C - S)`.

The values are those of the autograd forms in ``focal_loss.py`` and
``gce_loss.py``; ``tests/test_models/test_losses/test_normalized_grads.py``
checks values and gradients against them in float64.
"""
import math
from typing import Any, Tuple

import torch
import torch.nn.functional as F

#: The denominators' underflow guard (NFL's denominator is at least
#: ``C (1 - 1/C)^gamma log C``, NGCE's at least ``C - C^(1 - q)``).
DENOM_EPS = 1e-12


def _rows(x: torch.Tensor) -> torch.Tensor:
    return torch.arange(x.size(0), device=x.device)


class NFLFunction(torch.autograd.Function):
    r"""Per-sample NFL with constant focal factors; see the module doc.

    Eight ``(N, C)`` passes in all: the log-softmax, ``p``, the factors
    (two), their sum and the denominator forward; two backward, where
    :math:`\sum_k g_k = (L \sum_k f_k - s f_y) / D` is known per row.
    """

    @staticmethod
    def forward(ctx: Any, z: torch.Tensor, target: torch.Tensor, gamma: float,
                scale: float) -> torch.Tensor:
        logp = F.log_softmax(z, dim=1)
        p = F.softmax(z, dim=1)  # cheaper than exp(logp) on the CPU
        factor = torch.rsub(p, 1)
        factor = factor.sqrt_() if gamma == 0.5 else factor.pow_(gamma)
        denom = -(factor * logp).sum(dim=1)
        live = denom >= DENOM_EPS
        denom = denom.clamp(min=DENOM_EPS)
        rows, idx = _rows(z), target.long()
        f_y = factor[rows, idx]
        loss = -scale * f_y * logp[rows, idx] / denom
        ctx.save_for_backward(p, factor, factor.sum(dim=1), f_y, denom,
                              loss * live, idx)
        ctx.scale = scale
        return loss

    @staticmethod
    def backward(ctx: Any, grad: torch.Tensor) -> Tuple[Any, ...]:
        p, factor, sum_f, f_y, denom, loss_live, idx = ctx.saved_tensors
        c1 = grad * loss_live / denom  # the denominator's share
        c2 = grad * ctx.scale * f_y / denom  # the numerator's, at k = y
        g_sum = c1 * sum_f - c2
        dz = factor * c1.unsqueeze(1)
        dz.addcmul_(p, g_sum.unsqueeze(1), value=-1)
        dz[_rows(dz), idx] -= c2
        return dz, None, None, None


class NGCEFunction(torch.autograd.Function):
    """Per-sample NGCE; see the module doc. ``max(p, m)^q`` is
    ``max(p^q, m^q)``, and the floor's zero gradient is a threshold of
    ``p^q`` at ``m^q`` (one fused pass, no boolean mask)."""

    @staticmethod
    def forward(ctx: Any, z: torch.Tensor, target: torch.Tensor, q: float,
                min_prob: float) -> torch.Tensor:
        p = F.softmax(z, dim=1)
        pq = F.log_softmax(z, dim=1).mul_(q).exp_()
        rows, idx = _rows(z), target.long()
        if min_prob > 0:
            floor = math.exp(q * math.log(min_prob))
            pq_live = F.threshold(pq, floor, 0.0)  # where p > m
            pq = pq.clamp_(min=floor)
        else:
            pq_live = pq
        denom = z.size(1) - pq.sum(dim=1)
        pq_y = pq[rows, idx]
        loss = (1 - pq_y) / denom
        ctx.save_for_backward(p, pq_live, pq_live[rows, idx], denom, loss, idx)
        ctx.q = q
        return loss

    @staticmethod
    def backward(ctx: Any, grad: torch.Tensor) -> Tuple[Any, ...]:
        p, pq, pq_y, denom, loss, idx = ctx.saved_tensors
        c = ctx.q * grad / denom
        c1, c2 = c * loss, c * pq_y
        g_sum = c1 * pq.sum(dim=1) - c2
        dz = pq * c1.unsqueeze(1)
        dz.addcmul_(p, g_sum.unsqueeze(1), value=-1)
        dz[_rows(dz), idx] -= c2
        return dz, None, None, None


def nfl_closed_form(z: torch.Tensor, target: torch.Tensor, gamma: float,
                    scale: float) -> torch.Tensor:
    """NFL per sample, ``detach='factor'``, index targets ``(N,)``."""
    return NFLFunction.apply(z, target, gamma, scale)


def ngce_closed_form(z: torch.Tensor, target: torch.Tensor, q: float,
                     min_prob: float) -> torch.Tensor:
    """NGCE per sample, index targets ``(N,)``."""
    return NGCEFunction.apply(z, target, q, min_prob)
