# Copyright (c) lnl_mm contributors. All rights reserved.
"""Co-teaching: two networks teach each other with their small-loss
samples."""
from typing import Dict, Optional, Tuple

import torch
from mmengine.optim import OptimWrapper
from mmpretrain.registry import MODELS
from torch import Tensor

from ..selection import global_small_loss_mask
from .small_loss_schedule import SmallLossSchedule
from .two_network_classifier import TwoNetworkClassifier


@MODELS.register_module()
class CoTeachingClassifier(SmallLossSchedule, TwoNetworkClassifier):
    r"""Co-teaching.

    `Co-teaching: Robust Training of Deep Neural Networks with Extremely
    Noisy Labels <https://arxiv.org/abs/1804.06872>`_ (NeurIPS 2018),
    official code ``bhanML/Co-teaching``.

    Each step, each network ranks the batch by its own per-sample loss
    (the head's loss, CE in the configs) and keeps the
    :math:`\lfloor (1 - \tau_T) B \rfloor` smallest; **each network is
    updated on the samples its peer kept**:

    .. math::
        L_1 = \frac{1}{|S_2|} \sum_{i \in S_2} \ell(z^1_i, y_i), \qquad
        L_2 = \frac{1}{|S_1|} \sum_{i \in S_1} \ell(z^2_i, y_i),

    with the forget rate :math:`\tau_T` of
    :func:`~lnl_mm.models.selection.forget_rate_at` (official:
    :math:`\tau/9` at the first epoch, linearly up to :math:`\tau` at the
    ninth). The selection runs over the
    global batch under DDP. Each network has its own optimizer.

    The official loss divides the mean over the kept samples by their
    number once more (:math:`\frac{1}{|S|^2}\sum`, ``loss.py``; nearly
    scale-free under Adam, not under SGD): ``double_norm=True`` restores
    it; the single mean is the default.

    Every step records ``selected1`` / ``selected2`` (1 for the samples
    net1 / net2 kept) for :class:`~lnl_mm.engine.MetaDiagnosticsHook`,
    which scores them against the clean labels (the official "pure ratio"
    is their share of clean labels).

    Args:
        forget_rate (float): :math:`\tau` in ``[0, 1)``, the official
            default the noise rate.
        num_gradual (int): :math:`T_k`, epochs of the ramp. Defaults to 10.
        exponent (float): :math:`c`. Defaults to 1.
        schedule (str): ``'official'`` (default) or ``'paper'``; see
            :func:`~lnl_mm.models.selection.forget_rate_at`.
        double_norm (bool): The official :math:`1/|S|^2`. Defaults to False.
        **kwargs: Arguments of :class:`TwoNetworkClassifier`.
    """

    def __init__(self,
                 *args,
                 forget_rate: float,
                 num_gradual: int = 10,
                 exponent: float = 1.0,
                 schedule: str = 'official',
                 double_norm: bool = False,
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.init_schedule(forget_rate, num_gradual, exponent, schedule)
        if not isinstance(double_norm, bool):
            raise TypeError(f'double_norm must be a bool, got '
                            f'{double_norm!r}')
        self.double_norm = double_norm

    def per_sample_loss(self, net, logits: Tensor, labels: Tensor) -> Tensor:
        """``net``'s head loss per sample, in float32."""
        return net.head.loss_module(
            logits.float(), labels, reduction_override='none').reshape(-1)

    def forward_both(self, inputs: Tensor,
                     wrappers: Tuple[OptimWrapper, ...]) -> Tuple[Tensor, ...]:
        """Training logits of net1 and net2, each under its optimizer's
        context (AMP)."""
        out = []
        for net, ow in zip(self.nets, wrappers):
            with ow.optim_context(net):
                out.append(self.logits(net, inputs))
        return tuple(out)

    def exchange_losses(self,
                        losses: Tuple[Tensor, Tensor],
                        rate: float,
                        mask: Optional[Tensor] = None,
                        keep_all_if_none: bool = False):
        """Each network's loss on its peer's small-loss samples.

        Returns:
            tuple: ``(loss1, loss2, kept1, kept2)``: this rank's shares of
            the global losses and the masks of the samples net1 / net2 kept.
        """
        l1, l2 = losses
        kept1 = global_small_loss_mask(l1, rate, mask, keep_all_if_none)
        kept2 = global_small_loss_mask(l2, rate, mask, keep_all_if_none)
        out = []
        for loss, peer in ((l1, kept2), (l2, kept1)):
            count = self.global_count(peer.sum(), loss.device).clamp_min(1)
            norm = count * count if self.double_norm else count
            out.append((loss * peer).sum() / norm)
        return out[0], out[1], kept1, kept2

    def two_network_step(self, data, wrappers: Tuple[OptimWrapper,
                                                     ...]) -> Dict:
        batch = self.data_preprocessor(data, True)
        samples, inputs = batch['data_samples'], batch['inputs']
        labels = self._labels(samples).to(inputs.device)
        z1, z2 = self.forward_both(inputs, wrappers)
        rate = self.current_forget_rate()
        losses = (self.per_sample_loss(self.net1, z1, labels),
                  self.per_sample_loss(self.net2, z2, labels))
        loss1, loss2, kept1, kept2 = self.exchange_losses(losses, rate)
        self.update(loss1, wrappers[0], self.net1)
        self.update(loss2, wrappers[1], self.net2)
        self.record(samples, z1, selected1=kept1, selected2=kept2)
        return dict(
            loss=(loss1 + loss2).detach(),
            loss1=loss1.detach(),
            loss2=loss2.detach(),
            forget_rate=torch.tensor(rate))
