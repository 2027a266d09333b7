# Copyright (c) lnl_mm contributors. All rights reserved.
"""Negative learning (NL), the loss that ALFs and APL ship as ``NLNL``."""
import math
from typing import Optional, Sequence, Union

import numpy as np
import torch
from mmpretrain.registry import MODELS

from .utils import LogitView, SeededDrawLoss

#: The official code clamps ``1 - p`` to ``[1e-5, 1]`` before the log, so a
#: complementary class predicted with ``p > 1 - 1e-5`` gives no gradient.
NL_MIN_COMPLEMENT = 1e-5
LOG_NL_MIN_COMPLEMENT = math.log(NL_MIN_COMPLEMENT)
CLASS_WEIGHTS = ('inverse_frequency', )


def log_complement(logp: torch.Tensor) -> torch.Tensor:
    """``log(clamp(1 - p, 1e-5, 1))`` from log-probabilities, stably.

    ``log(1 - p) = log(-expm1(log p))`` keeps its precision where ``p`` is
    close to 1, where ``1 - softmax`` in float32 does not.
    """
    logp = logp.clamp(max=0.0)  # log_softmax may round to a tiny positive
    return torch.log(-torch.expm1(logp)).clamp(min=LOG_NL_MIN_COMPLEMENT)


def nlnl_loss(cls_score: torch.Tensor,
              target: torch.Tensor,
              complementary: torch.Tensor,
              class_weight: Optional[torch.Tensor] = None) -> torch.Tensor:
    r"""Per-sample negative-learning loss (see :class:`NLNLLoss`).

    Args:
        cls_score (Tensor): Logits ``(N, C)``.
        target (Tensor): Given (noisy) labels ``(N,)``.
        complementary (Tensor): Complementary labels ``(N, K)``, each
            different from its sample's ``target``.
        class_weight (Tensor, optional): Weight ``w_c`` of each given class
            ``(C,)``; 1 when None.

    Returns:
        Tensor: ``(N,)`` losses
        ``-w_{y_i} sum_j log(1 - p_{i, ybar_ij})``.
    """
    view = LogitView(cls_score, target)
    return _nlnl(view, complementary, class_weight)


def _nlnl(view: LogitView, complementary: torch.Tensor,
          class_weight: Optional[torch.Tensor]) -> torch.Tensor:
    picked = view.logp.gather(1, complementary.long())
    loss = -log_complement(picked).sum(dim=1)
    if class_weight is not None:
        loss = loss * class_weight.to(loss.dtype)[view.target.long()]
    return loss


def _expected_nlnl(view: LogitView, num_negatives: int,
                   class_weight: Optional[torch.Tensor]) -> torch.Tensor:
    """The expectation of the loss over the uniform complementary draw."""
    log_c = log_complement(view.logp)
    own = view.pick(log_c)
    per_draw = -(log_c.sum(dim=1) - own) / (view.num_classes - 1)
    loss = num_negatives * per_draw
    if class_weight is not None:
        loss = loss * class_weight.to(loss.dtype)[view.target.long()]
    return loss


@MODELS.register_module()
class NLNLLoss(SeededDrawLoss):
    r"""Negative learning with complementary labels.

    `NLNL: Negative Learning for Noisy Labels
    <https://arxiv.org/abs/1908.07387>`_ (ICCV 2019). The loss of the
    negative-learning phase, as both robust-loss codebases ship it
    (``NLNL`` in hitcszx/ALFs ``lnl/losses.py`` and in
    HanxunH/Active-Passive-Losses ``loss.py``): for each sample, ``K``
    complementary labels ``ybar`` are drawn uniformly from the classes other
    than the given label ``y`` at every step, and the model is taught that
    the image is *not* of those classes:

    .. math::
        \mathrm{NL}(z, y) = -w_y \sum_{j=1}^{K}
            \log \mathrm{clamp}(1 - p_{\bar y_j}, 10^{-5}, 1)

    averaged over the batch. ``w_y = \max_c n_c / n_y`` with ``n_c`` the
    number of training samples *given* label ``c`` (``class_weight=
    'inverse_frequency'``, the official weighting; it needs
    :class:`~lnl_mm.engine.hooks.TrainLabelCountsHook`, which passes the
    counts before training). The complementary labels are drawn as
    ``(y + U{1, C-1}) mod C``, with replacement, as the official code does
    (``K`` may exceed ``C - 1``: APL's CIFAR-100 uses 110).

    Each step draws from its own seeded generator
    (:class:`~lnl_mm.models.losses.utils.SeededDrawLoss`), so a resumed run
    draws what the uninterrupted run draws. In eval mode no draw is made:
    the loss is its expectation over the draw, ``K / (C - 1)`` times the sum
    over every class but ``y``.

    The official class also adds a cross-entropy over labels it has just
    set to ``-100`` (ignored), multiplied by their count, zero. On current
    PyTorch that mean over no labels is 0/0, so the official loss is NaN
    (checked on torch 2.14); on the PyTorch it was written for the term was
    0. It is left out here: the value is the official one wherever that is
    finite. The selective phases of the
    paper (SelNL, SelPL) are in neither codebase and not here.

    Args:
        num_negatives (int): ``K``, complementary labels per sample
            (official ``ln_neg``), >= 1. Defaults to 1.
        class_weight (str | Sequence[float], optional):
            ``'inverse_frequency'`` (official), an explicit weight per
            class, or None for 1. Defaults to ``'inverse_frequency'``.
        seed (int): Seed of the complementary draws. Defaults to 0.
        reduction (str): Defaults to ``'mean'``.
        loss_weight (float): Defaults to 1.0.
    """

    weight_table: torch.Tensor  # non-persistent: recomputed every run

    def __init__(self,
                 num_negatives: int = 1,
                 class_weight: Union[str, Sequence[float],
                                     None] = 'inverse_frequency',
                 seed: int = 0,
                 reduction: str = 'mean',
                 loss_weight: float = 1.0):
        super().__init__(seed, reduction, loss_weight)
        if isinstance(num_negatives, bool) or not isinstance(
                num_negatives, int) or num_negatives < 1:
            raise ValueError(f'NLNLLoss: num_negatives must be an int >= 1, '
                             f'got {num_negatives!r}')
        self.num_negatives = num_negatives
        self.class_weight = class_weight
        table = torch.empty(0)
        if isinstance(class_weight, str):
            if class_weight not in CLASS_WEIGHTS:
                raise ValueError(f'NLNLLoss: class_weight must be one of '
                                 f'{CLASS_WEIGHTS}, a list of weights or '
                                 f'None, got {class_weight!r}')
        elif class_weight is not None:
            table = torch.as_tensor(class_weight, dtype=torch.float32)
            if table.dim() != 1 or not bool(torch.isfinite(table).all()) \
                    or bool((table < 0).any()):
                raise ValueError(f'NLNLLoss: class_weight must be one finite '
                                 f'weight >= 0 per class, got '
                                 f'{class_weight!r}')
        self.register_buffer('weight_table', table, persistent=False)

    def set_train_label_counts(self, counts: Sequence[int]) -> None:
        """Set ``w_c = max(n) / n_c`` from the training-label counts.

        Called by :class:`~lnl_mm.engine.hooks.TrainLabelCountsHook`. A class
        no training sample is given (``n_c = 0``) never meets the weight;
        it gets 0.

        Args:
            counts (Sequence[int]): ``n_c`` for every class.
        """
        if self.class_weight != 'inverse_frequency':
            return
        n = np.asarray(counts, dtype=np.float64)
        if n.ndim != 1 or n.size < 2 or (n < 0).any() or n.max() <= 0:
            raise ValueError(f'NLNLLoss: label counts must be >= 0 per class '
                             f'with at least one sample, got {counts!r}')
        w = np.divide(n.max(), n, out=np.zeros_like(n), where=n > 0)
        self.weight_table = torch.as_tensor(
            w, dtype=torch.float32, device=self.num_draws.device)

    def _weights(self, num_classes: int) -> Optional[torch.Tensor]:
        if self.class_weight is None:
            return None
        if self.weight_table.numel() == 0:
            raise RuntimeError(
                "NLNLLoss: class_weight='inverse_frequency' needs the class "
                'counts of the training labels: add '
                "dict(type='TrainLabelCountsHook') to custom_hooks, or set "
                'class_weight to a list of weights or None')
        if self.weight_table.numel() != num_classes:
            raise ValueError(f'NLNLLoss: {self.weight_table.numel()} class '
                             f'weights for {num_classes} classes')
        return self.weight_table

    def elementwise(self, view: LogitView) -> torch.Tensor:
        if view.soft:
            raise TypeError('NLNLLoss: complementary labels are drawn '
                            'against index labels; got soft targets (N, C)')
        weights = self._weights(view.num_classes)
        if not self.training:
            return _expected_nlnl(view, self.num_negatives, weights)
        gen = self.next_generator(view.z.device)
        n, c = view.z.shape
        offset = torch.randint(
            1, c, (n, self.num_negatives), generator=gen, device=view.z.device)
        complementary = (view.target.long().view(-1, 1) + offset) % c
        return _nlnl(view, complementary, weights)

    def extra_repr(self) -> str:
        return (f'num_negatives={self.num_negatives}, '
                f'class_weight={self.class_weight!r}, seed={self.seed}')
