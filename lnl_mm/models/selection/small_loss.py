# Copyright (c) lnl_mm contributors. All rights reserved.
"""Small-loss selection: the forget-rate schedule and the selected samples
of Co-teaching, Co-teaching+ and JoCoR."""
from typing import Optional

import numpy as np
import torch
from mmengine.dist import all_gather_object, get_rank, get_world_size
from torch import Tensor

SCHEDULES = ('official', 'paper')


def check_forget_rate(forget_rate: float) -> float:
    """``forget_rate`` as a float in ``[0, 1)``, or a clear error."""
    if isinstance(
            forget_rate,
            bool) or not isinstance(forget_rate,
                                    (int, float)) or not 0 <= forget_rate < 1:
        raise ValueError('forget_rate must be a number in [0, 1) (the share '
                         'of each batch left out), got '
                         f'forget_rate={forget_rate!r}')
    return float(forget_rate)


def forget_rate_at(epoch: int,
                   forget_rate: float,
                   num_gradual: int = 10,
                   exponent: float = 1.0,
                   schedule: str = 'official') -> float:
    r"""The share :math:`1 - R(T)` of a batch left out at ``epoch``.

    `Co-teaching <https://arxiv.org/abs/1804.06872>`_ (NeurIPS 2018) keeps
    the :math:`R(T)` smallest losses of each batch with
    :math:`R(T) = 1 - \tau \min\{(T / T_k)^c, 1\}`.

    * ``schedule='official'`` (default): what ``bhanML/Co-teaching``,
      ``xingruiyu/coteaching_plus`` and ``hongxin001/JoCoR`` compute. Their
      epochs count from 1 (``range(1, n_epoch)``), the rate of epoch
      :math:`e` is ``linspace(0, tau**c, num_gradual)[e]`` for
      :math:`e < T_k` and :math:`\tau` afterwards: :math:`e\,\tau^c/(T_k -
      1)`, so :math:`\tau/9` at the first epoch and :math:`\tau` from the
      ninth on (for :math:`c \ne 1` the ramp ends at :math:`\tau^c` and then
      jumps to :math:`\tau`).
    * ``schedule='paper'``: :math:`\tau \min\{((k + 1) / T_k)^c, 1\}`,
      :math:`\tau/10` at the first epoch.

    Args:
        epoch (int): The 0-based training epoch (MMEngine's); the first
            epoch is the official code's epoch 1.
        forget_rate (float): :math:`\tau` in ``[0, 1)``.
        num_gradual (int): :math:`T_k`. Defaults to 10.
        exponent (float): :math:`c`. Defaults to 1.
        schedule (str): ``'official'`` or ``'paper'``.

    Returns:
        float: The forget rate of the epoch.
    """
    tau = check_forget_rate(forget_rate)
    if schedule not in SCHEDULES:
        raise ValueError(f'schedule must be one of {SCHEDULES}, got '
                         f'schedule={schedule!r}')
    if not isinstance(num_gradual, int) or num_gradual < 1:
        raise ValueError('num_gradual must be an int >= 1, got '
                         f'num_gradual={num_gradual!r}')
    if isinstance(exponent,
                  bool) or not isinstance(exponent,
                                          (int, float)) or exponent <= 0:
        raise ValueError(f'exponent must be a number > 0, got '
                         f'exponent={exponent!r}')
    e = int(epoch) + 1
    if schedule == 'paper':
        return tau * min((e / num_gradual)**exponent, 1.0)
    if e >= num_gradual:
        return tau
    # the official array itself: int((1 - rate) * n) flips at integers, so
    # the rate must be that float to the last bit
    return float(np.linspace(0, tau**exponent, num_gradual)[e])


def num_remembered(batch_size: int, rate: float) -> int:
    """``int((1 - rate) * batch_size)``: the official count, floored."""
    return int((1 - rate) * batch_size)


def small_loss_mask(losses: Tensor, num_keep: int) -> Tensor:
    """Mask of the ``num_keep`` smallest ``losses`` (ties by position)."""
    order = torch.argsort(losses.detach(), stable=True)
    mask = torch.zeros_like(losses, dtype=torch.bool)
    mask[order[:num_keep]] = True
    return mask


def global_small_loss_mask(losses: Tensor,
                           rate: float,
                           mask: Optional[Tensor] = None,
                           keep_all_if_none: bool = False) -> Tensor:
    """This rank's part of the small-loss selection over the global batch.

    The per-sample ``losses`` of every rank are gathered (in rank order),
    the ``num_remembered(n, rate)`` smallest of the ``n`` candidates are
    selected, and each rank gets the mask of its own samples: two ranks of
    64 select what one process selects from their 128 samples.

    Args:
        losses (Tensor): ``(B,)`` losses of this rank's batch.
        rate (float): The forget rate.
        mask (Tensor, optional): ``(B,)`` candidates (Co-teaching+'s
            disagreement set); all samples by default.
        keep_all_if_none (bool): When the count floors to 0, select every
            candidate (Co-teaching+'s official rule). Defaults to False.

    Returns:
        Tensor: ``(B,)`` bool mask.
    """
    losses = losses.detach().float().reshape(-1)
    candidates = torch.ones_like(losses, dtype=torch.bool) \
        if mask is None else mask.reshape(-1).bool()
    if get_world_size() > 1:
        parts = all_gather_object((losses.cpu(), candidates.cpu()))
        sizes = [p[0].numel() for p in parts]
        all_losses = torch.cat([p[0] for p in parts])
        all_candidates = torch.cat([p[1] for p in parts])
        start = sum(sizes[:get_rank()])
    else:
        all_losses, all_candidates, start = losses.cpu(), candidates.cpu(), 0
    where = torch.nonzero(all_candidates).reshape(-1)
    keep = num_remembered(where.numel(), rate)
    if keep == 0 and keep_all_if_none:
        keep = where.numel()
    chosen = torch.zeros_like(all_candidates)
    chosen[where[small_loss_mask(all_losses[where], keep)]] = True
    return chosen[start:start + losses.numel()].to(losses.device)
