# Copyright (c) lnl_mm contributors. All rights reserved.
r"""Sparse over-parameterisation (SOP), functional form.

`Robust Training under Label Noise by Over-parameterization
<https://arxiv.org/abs/2202.14026>`_ (Liu et al., ICML 2022), official code
``shengliu66/SOP`` (``model/loss.py``, ``overparametrization_loss``).

Every training sample :math:`i` has parameters :math:`u_i \in \mathbb R`
and :math:`v_i \in \mathbb R^C`, which model its label noise as a sparse
term :math:`s_i = u_i^2\, y_i - v_i^2 \odot (1 - y_i)` (``y`` the one-hot
given label; both squares clamped to [0, 1]). With
:math:`p = \mathrm{softmax}(z)`:

.. math::
    \hat p_i &= \mathrm{clamp}\Big(\frac{\mathrm{clamp}(p_i + u_i^2 y_i
        - \mathrm{sg}[v_i^2 \odot (1 - y_i)], \epsilon)}{\max(\lVert
        \cdot \rVert_1, \epsilon)}, \epsilon, 1\Big) \\
    \ell_i &= \underbrace{-\textstyle\sum_k y_{ik} \log \hat p_{ik}}_{
        \text{CE: network and } u} \;+\; \underbrace{\lVert
        \mathrm{onehot}(\arg\max z_i) + u_i^2 y_i - v_i^2 \odot (1 - y_i)
        - y_i \rVert_2^2}_{\text{MSE: } u \text{ and } v}

(``sg`` stops the gradient; :math:`\epsilon = 10^{-4}`). SOP+ adds the
class-balance term :math:`-\frac1C \sum_k \log \mathrm{clamp}(\bar{\hat p}_k,
\epsilon, 1)` (:math:`\bar{\hat p}` the batch mean) and the consistency
term :math:`\mathrm{KL}(\mathrm{sg}[p^{(1)}] \,\Vert\, p^{(2)})` between two
augmented views. The classifier that owns :math:`u, v` is
:class:`~lnl_mm.models.classifiers.SOPClassifier`.
"""
from typing import Tuple

import torch.nn.functional as F
from torch import Tensor

from .utils import upcast

#: The official clamp ``eps`` of ``overparametrization_loss``.
SOP_EPS = 1e-4


def sop_noise_terms(u_rows: Tensor, v_rows: Tensor,
                    onehot: Tensor) -> Tuple[Tensor, Tensor]:
    r""":math:`(\mathrm{clamp}(u^2 y, 0, 1), \mathrm{clamp}(v^2 (1 - y), 0,
    1))`, each ``(B, C)``, from ``u_rows`` ``(B, 1)`` and ``v_rows`` ``(B,
    C)``."""
    u_sq = (u_rows**2 * onehot).clamp(0, 1)
    v_sq = (v_rows**2 * (1 - onehot)).clamp(0, 1)
    return u_sq, v_sq


def sop_loss(cls_score: Tensor,
             label: Tensor,
             u_rows: Tensor,
             v_rows: Tensor,
             eps: float = SOP_EPS) -> Tuple[Tensor, Tensor, Tensor]:
    """SOP's per-sample CE and MSE terms and the corrected prediction.

    Args:
        cls_score (Tensor): Logits ``(B, C)``; half / bfloat16 are upcast.
        label (Tensor): Given labels ``(B,)``.
        u_rows (Tensor): The batch's :math:`u` ``(B, 1)``.
        v_rows (Tensor): The batch's :math:`v` ``(B, C)``.
        eps (float): The clamp. Defaults to 1e-4 (official).

    Returns:
        tuple[Tensor, Tensor, Tensor]: CE ``(B,)``, MSE ``(B,)`` and the
        corrected prediction :math:`\\hat p` ``(B, C)``.
    """
    z = upcast(cls_score)
    onehot = F.one_hot(label.long(), z.size(1)).to(z.dtype)
    u_sq, v_sq = sop_noise_terms(u_rows.to(z), v_rows.to(z), onehot)
    pred = (F.softmax(z, dim=1) + u_sq - v_sq.detach()).clamp(min=eps)
    pred = F.normalize(pred, p=1, dim=1, eps=eps).clamp(eps, 1.0)
    ce = -(onehot * pred.log()).sum(dim=1)
    hard = F.one_hot(z.detach().argmax(dim=1), z.size(1)).to(z.dtype)
    mse = ((hard + u_sq - v_sq - onehot)**2).sum(dim=1)
    return ce, mse, pred


def sop_balance(pred: Tensor, eps: float = SOP_EPS) -> Tensor:
    r"""SOP+'s class-balance term :math:`-\frac1C \sum_k \log \mathrm{clamp}
    (\bar{\hat p}_k, \epsilon, 1)` (a scalar)."""
    mean = pred.mean(dim=0).clamp(eps, 1.0)
    return -mean.log().mean()


def sop_consistency(cls_score1: Tensor, cls_score2: Tensor) -> Tensor:
    r"""SOP+'s per-sample consistency :math:`\mathrm{KL}(\mathrm{sg}[p^{(1)}]
    \Vert p^{(2)})` ``(B,)`` between the logits of two views."""
    p1 = F.softmax(upcast(cls_score1), dim=1).detach()
    logq2 = F.log_softmax(upcast(cls_score2), dim=1)
    return F.kl_div(logq2, p1, reduction='none').sum(dim=1)
