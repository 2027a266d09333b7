# Copyright (c) lnl_mm contributors. All rights reserved.
"""JoCoR's joint loss (Wei et al., CVPR 2020)."""
import torch.nn.functional as F
from torch import Tensor


def symmetric_kl(logits1: Tensor, logits2: Tensor) -> Tensor:
    r""":math:`KL(p_2 \| p_1) + KL(p_1 \| p_2)` per sample, in float32,
    from log-softmaxes; both sides keep their gradient (the official code
    detaches neither)."""
    logp1 = F.log_softmax(logits1.float(), dim=1)
    logp2 = F.log_softmax(logits2.float(), dim=1)
    return ((logp2.exp() - logp1.exp()) * (logp2 - logp1)).sum(dim=1)


def jocor_per_sample_loss(logits1: Tensor, logits2: Tensor, labels: Tensor,
                          co_lambda: float) -> Tensor:
    r"""JoCoR's per-sample joint loss.

    `Combating Noisy Labels by Agreement: A Joint Training Method with
    Co-Regularization <https://arxiv.org/abs/2003.02752>`_:

    .. math::
        \ell_i = (1 - \lambda)\,(CE(z^1_i, y_i) + CE(z^2_i, y_i))
        + \lambda\,(KL(p^2_i \| p^1_i) + KL(p^1_i \| p^2_i)).

    The sum of the two KL divergences is
    :math:`\sum_c (p^2_c - p^1_c)(\log p^2_c - \log p^1_c)`.

    Args:
        logits1, logits2 (Tensor): ``(B, C)`` logits of the two networks.
        labels (Tensor): ``(B,)`` given labels.
        co_lambda (float): :math:`\lambda` in ``[0, 1]``.

    Returns:
        Tensor: ``(B,)`` float32 losses.
    """
    if not 0 <= co_lambda <= 1:
        raise ValueError(f'co_lambda must be in [0, 1], got {co_lambda!r}')
    ce = F.cross_entropy(logits1.float(), labels, reduction='none') + \
        F.cross_entropy(logits2.float(), labels, reduction='none')
    return (1 - co_lambda) * ce + co_lambda * symmetric_kl(logits1, logits2)
