# Copyright (c) lnl_mm contributors. All rights reserved.
r"""ELR+, functional form: the early-learning regulariser on mixed batches
with targets from the peer network's weight average.

`Early-Learning Regularization Prevents Memorization of Noisy Labels
<https://arxiv.org/abs/2007.00151>`_ (Liu et al., NeurIPS 2020), official
code ``shengliu66/ELR`` (``ELR_plus/model/loss.py``, ``elr_plus_loss``, and
``ELR_plus/trainer/trainer.py``).

Network :math:`k` keeps its own targets :math:`t^{(k)}_i`, updated from the
*other* network's weight average :math:`\bar f` on the un-mixed batch:

.. math::
    t_i \leftarrow \beta\, t_i + (1 - \beta)\,
    \frac{\mathrm{softmax}(\bar f(x_i))}{\sum_c \mathrm{softmax}
    (\bar f(x_i))_c}

(no clamp, unlike ELR's own update). The batch is then mixed,
:math:`\tilde x = l x + (1 - l) x_{\pi}`, :math:`\tilde y = l y +
(1 - l) y_{\pi}` (one-hot labels), the targets with it,
:math:`q = l t + (1 - l) t_{\pi}`, and with :math:`\bar p =
\mathrm{clamp}(\mathrm{softmax}(f(\tilde x)), \epsilon, 1 - \epsilon)`
the loss is

.. math::
    \mathcal L = \frac1B \sum_i -\sum_c \tilde y_{ic} \log
    \mathrm{softmax}(f(\tilde x_i))_c
    + r(s)\,\lambda\,\frac1B \sum_i \log\bigl(1 - \langle q_i, \bar p_i
    \rangle\bigr),

:math:`r(s)` the official sigmoid ramp over the network's step :math:`s`
(``coef_step`` steps; 0 = no ramp). On CIFAR-100 the official code also
re-weights the mixed labels by the targets, :math:`\tilde y \leftarrow
\tilde y \odot q / \sum_c (\tilde y \odot q)_c` (``label_reweight``).

Because :math:`\sum_c q_{ic} \le 1` and every :math:`\bar p_{ic} \le 1 -
\epsilon`, :math:`1 - \langle q_i, \bar p_i\rangle \ge \epsilon`: the
logarithm is finite on any logits. The classifier is
:class:`~lnl_mm.models.classifiers.ELRPlusClassifier`.
"""
from typing import Tuple

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor

from .utils import upcast


def sigmoid_rampup(current: float, length: float) -> float:
    r"""The official ramp :math:`\exp(-5 (1 - \min(s, L) / L)^2)` for
    :math:`s \ge 0`, 1 when :math:`L = 0` (``ELR_plus/utils/util.py``)."""
    if length == 0:
        return 1.0
    phase = 1.0 - float(np.clip(current, 0.0, length)) / length
    return float(np.exp(-5.0 * phase * phase))


def elr_plus_target_update(targets: Tensor, peer_logits: Tensor,
                           beta: float) -> Tensor:
    r"""The new targets :math:`\beta t + (1 - \beta)\,\mathrm{softmax}
    (\bar z)` (renormalised as the official code; no clamp, no gradient).

    Args:
        targets (Tensor): ``(B, C)`` current targets of the batch's samples.
        peer_logits (Tensor): ``(B, C)`` logits of the peer's weight average
            on the un-mixed batch.
        beta (float): The momentum :math:`\beta`.
    """
    p = F.softmax(upcast(peer_logits.detach()), dim=1)
    p = p / p.sum(dim=1, keepdim=True)
    return beta * targets.to(p) + (1.0 - beta) * p


def reweighted_labels(labels: Tensor, q: Tensor) -> Tensor:
    r""":math:`\tilde y \odot q / \sum_c (\tilde y \odot q)_c`, the official
    CIFAR-100 re-weighting; a row whose product sums to 0 (the targets put
    no mass on the labelled classes, e.g. an underflowed softmax) keeps its
    mixed label instead of becoming 0 / 0."""
    weighted = labels * q
    total = weighted.sum(dim=1, keepdim=True)
    return torch.where(total > 0, weighted / total.clamp_min(1e-30), labels)


def elr_plus_terms(logits: Tensor, labels: Tensor, q: Tensor, clamp: float,
                   label_reweight: bool) -> Tuple[Tensor, Tensor]:
    r"""Per-sample soft CE and :math:`\log(1 - \langle q, \bar p\rangle)`,
    each ``(B,)``, in at least float32; the gradient reaches ``logits``
    only.

    Args:
        logits (Tensor): ``(B, C)`` logits on the mixed batch.
        labels (Tensor): ``(B, C)`` mixed one-hot labels.
        q (Tensor): ``(B, C)`` mixed targets.
        clamp (float): :math:`\epsilon` of the clamp of the softmax.
        label_reweight (bool): Re-weight the labels by ``q`` first.
    """
    z = upcast(logits)
    labels, q = labels.detach().to(z), q.detach().to(z)
    if label_reweight:
        labels = reweighted_labels(labels, q)
    ce = -(labels * F.log_softmax(z, dim=1)).sum(dim=1)
    p = F.softmax(z, dim=1).clamp(clamp, 1.0 - clamp)
    reg = torch.log(1.0 - (q * p).sum(dim=1))
    return ce, reg
