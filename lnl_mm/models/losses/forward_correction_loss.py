# Copyright (c) lnl_mm contributors. All rights reserved.
r"""Forward loss correction (Patrini et al., CVPR 2017).

`Making Deep Neural Networks Robust to Label Noise: a Loss Correction
Approach <https://arxiv.org/abs/1609.03683>`_, official code
``giorgiop/loss-correction`` (``loss.py``, ``robust('forward', P)``).

The model's clean-class posterior :math:`p(z)` is pushed through the noise
process before the loss is taken against the *given* label:

.. math::
    \ell^{\rightarrow}(z, \tilde y) = -\log \big(T^\top \bar p(z)\big)_{\tilde
    y} = -\log \sum_k \bar p_k(z)\, T_{k \tilde y},
    \qquad \bar p = \mathrm{clamp}(p, \epsilon, 1 - \epsilon),

with :math:`T_{ij} = P(\tilde y = j \mid y = i)`. Computed in log space,
:math:`\log \sum_k \exp(\log \bar p_k + \log T_{k \tilde y})`, so that no
probability underflows; :math:`\epsilon = 10^{-7}` is the official clip.
"""
import torch
from mmpretrain.registry import MODELS

from .loss_correction_utils import (PROB_CLAMP, BaseCorrectionLoss,
                                    clamped_log_probs)
from .utils import LogitView, check_target


def forward_log_probs(logp: torch.Tensor,
                      transition: torch.Tensor,
                      prob_clamp: float = PROB_CLAMP) -> torch.Tensor:
    r"""``log(T^T clamp(p))``: the log-probabilities of the *given* labels,
    ``(N, C)``, from the model's log-probabilities ``logp`` ``(N, C)``."""
    log_t = transition.to(logp).log()  # log 0 = -inf: that path is dropped
    logp = clamped_log_probs(logp, prob_clamp)
    return torch.logsumexp(logp.unsqueeze(2) + log_t.unsqueeze(0), dim=1)


def forward_correction_loss(cls_score: torch.Tensor,
                            target: torch.Tensor,
                            transition: torch.Tensor,
                            prob_clamp: float = PROB_CLAMP) -> torch.Tensor:
    """Per-sample forward-corrected CE ``(N,)`` (see the module docstring).

    Args:
        cls_score (Tensor): Logits ``(N, C)``; half / bfloat16 are upcast.
        target (Tensor): Given labels ``(N,)`` or target distributions
            ``(N, C)`` (then ``-sum_j t_j log(T^T p)_j``).
        transition (Tensor): ``T`` ``(C, C)``, row-stochastic.
        prob_clamp (float): ``eps`` of the clip. Defaults to 1e-7.
    """
    check_target('forward_correction_loss', cls_score, target)
    view = LogitView(cls_score, target)
    return view.pick(-forward_log_probs(view.logp, transition, prob_clamp))


@MODELS.register_module()
class ForwardCorrectionLoss(BaseCorrectionLoss):
    r"""Forward correction: CE of the noisy label against :math:`T^\top p`.

    `Making Deep Neural Networks Robust to Label Noise: a Loss Correction
    Approach <https://arxiv.org/abs/1609.03683>`_

    .. math::
        \ell^{\rightarrow}(z, \tilde y) = -\log \sum_k \bar p_k(z)
        \, T_{k \tilde y}

    With ``T = I`` and ``prob_clamp=0`` it is CE. ``T`` is given, read from a
    file, or set by :class:`~lnl_mm.engine.hooks.LossCorrectionHook`
    (anchor-point estimate after a CE warm-up, or the oracle ``T`` of the
    noise manifest).

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

    def corrected(self, view: LogitView, T: torch.Tensor) -> torch.Tensor:
        return view.pick(-forward_log_probs(view.logp, T, self.prob_clamp))
