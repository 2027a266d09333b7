# Copyright (c) lnl_mm contributors. All rights reserved.
"""Per-sample weights from the meta gradient (L2RW and its variants)."""
from typing import Callable, Optional

import torch
from torch import Tensor

WEIGHTINGS = ('clamp', 'sigmoid')


def l2rw_scores(eps_grad: Tensor,
                weighting: str = 'clamp',
                floor: float = 0.) -> Tensor:
    r"""Unnormalised scores from the meta gradient :math:`g`.

    * ``'clamp'`` (L2RW, Ren et al. 2018): :math:`\max(-g, \text{floor})`.
    * ``'sigmoid'`` (the ISIC reweighting seed): :math:`\sigma(-g)`. The
      gradients are tiny, so these scores are all close to 0.5 and the
      weights close to uniform (measured in ``configs/meta/README.md``).

    Args:
        eps_grad (Tensor): ``(B,)`` gradients.
        weighting (str): ``'clamp'`` or ``'sigmoid'``.
        floor (float): The rectification floor of ``'clamp'`` (0 in the
            paper and the official code).
    """
    if weighting == 'clamp':
        return torch.clamp(-eps_grad, min=floor)
    if weighting == 'sigmoid':
        return torch.sigmoid(-eps_grad)
    raise ValueError(f'weighting must be one of {WEIGHTINGS}, got '
                     f'weighting={weighting!r}')


def normalize_weights(
        scores: Tensor,
        reduce_sum: Optional[Callable[[Tensor], None]] = None) -> Tensor:
    r"""``w_i = s_i / (\sum_j s_j + \delta(\sum_j s_j))``, :math:`\delta(0)=1`.

    The weights sum to 1; when every score is 0 (an L2RW batch whose samples
    all disagree with the meta gradient) they stay 0 instead of becoming NaN,
    and the data term of the update vanishes, as in the paper.

    Args:
        scores (Tensor): ``(B,)`` non-negative scores.
        reduce_sum (callable, optional): Sums a tensor in place over
            distributed ranks, so the weights of all ranks sum to 1 together.
    """
    total = scores.sum().reshape(1).clone()
    if reduce_sum is not None:
        reduce_sum(total)
    total = torch.where(total == 0, torch.ones_like(total), total)
    return scores / total
