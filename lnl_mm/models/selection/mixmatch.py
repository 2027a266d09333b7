# Copyright (c) lnl_mm contributors. All rights reserved.
"""The MixMatch pieces of DivideMix: sharpening, mixup, the semi-supervised
losses and the regularisers, in float32."""
from typing import Tuple

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor


def sharpen(probs: Tensor, temperature: float) -> Tensor:
    r"""Sharpen each row: :math:`p_c^{1/T} / \sum_k p_k^{1/T}`.

    Computed as a softmax of :math:`\log p / T`, so that very small
    probabilities neither underflow to NaN nor overflow.
    """
    if temperature <= 0:
        raise ValueError(f'temperature must be > 0, got {temperature!r}')
    logp = torch.log(probs.float().clamp_min(torch.finfo(torch.float32).tiny))
    return F.softmax(logp / temperature, dim=1)


def mix_coefficient(alpha: float, generator: np.random.Generator) -> float:
    r""":math:`l \sim \mathrm{Beta}(\alpha, \alpha)`, then
    :math:`\max(l, 1 - l)` (the mixed sample stays closer to its own)."""
    lam = float(generator.beta(alpha, alpha))
    return max(lam, 1.0 - lam)


def mixup(inputs: Tensor, targets: Tensor, lam: float,
          perm: Tensor) -> Tuple[Tensor, Tensor]:
    """``lam * a + (1 - lam) * a[perm]`` for the inputs and the targets."""
    return (lam * inputs + (1 - lam) * inputs[perm],
            lam * targets + (1 - lam) * targets[perm])


def soft_cross_entropy_sum(logits: Tensor, targets: Tensor) -> Tensor:
    r""":math:`\sum_i -\sum_c y_{ic} \log \mathrm{softmax}(z_i)_c` (float32;
    divide by the number of samples for the mean)."""
    return -(targets.float() * F.log_softmax(logits.float(), dim=1)).sum()


def squared_error_sum(logits: Tensor, targets: Tensor) -> Tensor:
    r""":math:`\sum_{i,c} (\mathrm{softmax}(z_i)_c - y_{ic})^2` (float32;
    the official :math:`L_u` is this over the number of entries, samples
    times classes)."""
    return ((F.softmax(logits.float(), dim=1) - targets.float())**2).sum()


def linear_rampup(progress: float, start: float, length: float) -> float:
    """``clip((progress - start) / length, 0, 1)``."""
    if length <= 0:
        return 1.0 if progress >= start else 0.0
    return float(np.clip((progress - start) / length, 0.0, 1.0))


def prior_penalty(mean_probs: Tensor) -> Tensor:
    r"""The uniform-prior regulariser
    :math:`\sum_c \pi_c \log(\pi_c / \bar p_c)`, :math:`\pi_c = 1/C`: the KL
    divergence of the mean prediction from uniform, 0 when the predictions
    use every class equally."""
    num_classes = mean_probs.numel()
    prior = torch.full_like(mean_probs, 1.0 / num_classes)
    tiny = torch.finfo(torch.float32).tiny
    return (prior * (prior.log() - mean_probs.clamp_min(tiny).log())).sum()


def negative_entropy_sum(logits: Tensor) -> Tensor:
    r""":math:`\sum_i \sum_c p_{ic} \log p_{ic}` (float32): the confidence
    penalty of DivideMix's warm-up under asymmetric noise (minimising it
    raises the entropy of the predictions)."""
    logp = F.log_softmax(logits.float(), dim=1)
    return (logp.exp() * logp).sum()
