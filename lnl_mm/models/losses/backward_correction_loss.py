# Copyright (c) lnl_mm contributors. All rights reserved.
r"""Backward loss correction (Patrini et al., CVPR 2017).

`Making Deep Neural Networks Robust to Label Noise: a Loss Correction
Approach <https://arxiv.org/abs/1609.03683>`_, official code
``giorgiop/loss-correction`` (``loss.py``, ``robust('backward', P)``).

The vector of per-class losses :math:`\ell(z) = (-\log \bar p_k(z))_k` is
multiplied by :math:`T^{-1}`, and the given label's entry is taken:

.. math::
    \ell^{\leftarrow}(z, \tilde y) = \big(T^{-1} \ell(z)\big)_{\tilde y}
    = -\sum_j (T^{-1})_{\tilde y j} \log \bar p_j(z),
    \qquad \bar p = \mathrm{clamp}(p, \epsilon, 1 - \epsilon).

Its expectation over the noise equals the clean CE (Theorem 1 of the paper),
but :math:`T^{-1}` has negative entries, so the loss is unbounded below
without the clip: :math:`\epsilon = 10^{-7}` (official) bounds it at
:math:`\log \epsilon` per class, and the gradient is zero past the clip.
"""
from typing import Optional

import torch
from mmpretrain.registry import MODELS

from .loss_correction_utils import (PROB_CLAMP, BaseCorrectionLoss,
                                    TransitionSource, clamped_log_probs)
from .utils import LogitView, check_target


def backward_correction_loss(cls_score: torch.Tensor,
                             target: torch.Tensor,
                             transition: torch.Tensor,
                             prob_clamp: float = PROB_CLAMP) -> torch.Tensor:
    """Per-sample backward-corrected CE ``(N,)`` (see the module docstring).

    Args:
        cls_score (Tensor): Logits ``(N, C)``; half / bfloat16 are upcast.
        target (Tensor): Given labels ``(N,)`` or target distributions
            ``(N, C)`` (then ``-(t T^-1) . log p``).
        transition (Tensor): ``T`` ``(C, C)``, invertible.
        prob_clamp (float): ``eps`` of the clip, ``> 0`` (without it the
            loss is unbounded below). Defaults to 1e-7.
    """
    check_target('backward_correction_loss', cls_score, target)
    view = LogitView(cls_score, target)
    # inverted in float64, used in the logits' dtype
    inverse = torch.linalg.inv(transition.to(torch.float64)).to(view.z)
    return _backward(view, inverse, prob_clamp)


def _backward(view: LogitView, inverse: torch.Tensor,
              prob_clamp: float) -> torch.Tensor:
    if not prob_clamp > 0:
        raise ValueError('backward correction: prob_clamp must be > 0 (the '
                         'loss is unbounded below without the clip), got '
                         f'prob_clamp={prob_clamp!r}')
    logp = clamped_log_probs(view.logp, prob_clamp)
    if view.soft:
        coeff = view.soft_target @ inverse
    else:
        coeff = inverse[view.target.long()]
    return -(coeff * logp).sum(dim=1)


@MODELS.register_module()
class BackwardCorrectionLoss(BaseCorrectionLoss):
    r"""Backward correction: the per-class CE vector multiplied by
    :math:`T^{-1}`.

    `Making Deep Neural Networks Robust to Label Noise: a Loss Correction
    Approach <https://arxiv.org/abs/1609.03683>`_

    .. math::
        \ell^{\leftarrow}(z, \tilde y) = -\sum_j (T^{-1})_{\tilde y j}
        \log \bar p_j(z)

    With ``T = I`` it is CE (on the clipped probabilities). ``T`` must be
    invertible (condition number below
    :data:`~lnl_mm.models.losses.loss_correction_utils.MAX_CONDITION`; its
    inverse is computed once, in float64);
    ``prob_clamp`` must be > 0. See :class:`ForwardCorrectionLoss` for
    where ``T`` comes from.

    Args:
        num_classes (int): ``C``.
        transition (str | array-like, optional): ``T`` or a file holding it
            (a list, ``.npy``, ``noise_manifest.json`` or
            ``transition_estimate.json``). Defaults to None (set by
            :class:`~lnl_mm.engine.hooks.LossCorrectionHook`).
        prob_clamp (float): ``eps`` of ``clamp(p, eps, 1 - eps)``.
            Defaults to 1e-7 (official).
        reduction (str): Defaults to ``'mean'``.
        loss_weight (float): Defaults to 1.0.
    """

    needs_inverse = True

    def __init__(self,
                 num_classes: int,
                 transition: Optional[TransitionSource] = None,
                 prob_clamp: float = PROB_CLAMP,
                 reduction: str = 'mean',
                 loss_weight: float = 1.0):
        if not prob_clamp > 0:
            raise ValueError('BackwardCorrectionLoss: prob_clamp must be > 0 '
                             '(the loss is unbounded below without the '
                             f'clip), got prob_clamp={prob_clamp!r}')
        super().__init__(num_classes, transition, prob_clamp, reduction,
                         loss_weight)

    def corrected(self, view: LogitView,
                  inverse: torch.Tensor) -> torch.Tensor:
        return _backward(view, inverse, self.prob_clamp)
