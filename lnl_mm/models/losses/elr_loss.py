# Copyright (c) lnl_mm contributors. All rights reserved.
r"""Early-learning regularisation (ELR), functional form.

`Early-Learning Regularization Prevents Memorization of Noisy Labels
<https://arxiv.org/abs/2007.00151>`_ (Liu et al., NeurIPS 2020), official
code ``shengliu66/ELR`` (``ELR/model/loss.py``).

Every training sample keeps a target :math:`t_i`, a running average of the
model's own (clamped, renormalised) predictions, updated each time the
sample is in a batch, *before* the loss is computed:

.. math::
    \hat p_i = \frac{\mathrm{clamp}(p_i, \epsilon, 1 - \epsilon)}
               {\sum_k \mathrm{clamp}(p_{ik}, \epsilon, 1 - \epsilon)},
    \qquad t_i \leftarrow \beta\, t_i + (1 - \beta)\, \hat p_i,

and the loss adds :math:`\lambda \cdot \frac1B \sum_i \log(1 - \langle
\bar p_i, t_i\rangle)` to CE, with :math:`\bar p_i = \mathrm{clamp}(p_i,
\epsilon, 1 - \epsilon)` (not renormalised; the gradient flows through it,
and is zero where the clamp is active) and :math:`\epsilon = 10^{-4}`.

Because every entry of :math:`\bar p_i` is at most :math:`1 - \epsilon` and
:math:`t_i` sums to at most 1, :math:`1 - \langle \bar p_i, t_i \rangle \ge
\epsilon`: the logarithm is finite on any logits. The classifier that owns
the targets is :class:`~lnl_mm.models.classifiers.ELRClassifier`.
"""
import torch
import torch.nn.functional as F
from torch import Tensor

from .utils import upcast

#: The official clamp of the softmax (``ELR/model/loss.py``).
PROB_CLAMP = 1e-4


def check_elr_args(beta: float, lambda_elr: float, clamp: float) -> None:
    """Fail with the option's name and value when an argument is bad."""
    for name, value in (('beta', beta), ('lambda_elr', lambda_elr), ('clamp',
                                                                     clamp)):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError(f'ELR: {name} must be a number, got '
                            f'{name}={value!r}')
    if not 0 <= beta < 1:
        raise ValueError(f'ELR: beta must be in [0, 1) (the momentum of the '
                         f'targets), got beta={beta!r}')
    if not lambda_elr >= 0:
        raise ValueError(f'ELR: lambda_elr must be >= 0, got '
                         f'lambda_elr={lambda_elr!r}')
    if not 0 < clamp < 0.5:
        raise ValueError(f'ELR: clamp must be in (0, 0.5) (it keeps the '
                         f'logarithm finite), got clamp={clamp!r}')


def elr_probs(cls_score: Tensor, clamp: float = PROB_CLAMP) -> Tensor:
    r""":math:`\mathrm{clamp}(\mathrm{softmax}(z), \epsilon, 1 - \epsilon)`
    in at least float32."""
    return F.softmax(upcast(cls_score), dim=1).clamp(clamp, 1.0 - clamp)


def elr_target_update(targets: Tensor, probs: Tensor, beta: float) -> Tensor:
    r"""The new targets :math:`\beta t + (1 - \beta)\,\hat p` (no gradient).

    Args:
        targets (Tensor): ``(B, C)`` current targets of the batch's samples.
        probs (Tensor): ``(B, C)`` clamped probabilities (:func:`elr_probs`).
        beta (float): The momentum :math:`\beta`.
    """
    p = probs.detach()
    return beta * targets.to(p) + (1.0 - beta) * p / p.sum(dim=1, keepdim=True)


def elr_regularizer(probs: Tensor, targets: Tensor) -> Tensor:
    r"""Per-sample :math:`\log(1 - \langle \bar p_i, t_i \rangle)`, shape
    ``(B,)``; its gradient reaches ``probs`` only."""
    return torch.log(1.0 - (targets.detach().to(probs) * probs).sum(dim=1))
