# Copyright (c) lnl_mm contributors. All rights reserved.
"""JoCoR: joint training of two networks with co-regularisation."""
from typing import Dict, Tuple

import torch
from mmengine.optim import OptimWrapper
from mmpretrain.registry import MODELS

from ..selection import global_small_loss_mask, jocor_per_sample_loss
from .small_loss_schedule import SmallLossSchedule
from .two_network_classifier import TwoNetworkClassifier


@MODELS.register_module()
class JoCoRClassifier(SmallLossSchedule, TwoNetworkClassifier):
    r"""JoCoR.

    `Combating Noisy Labels by Agreement: A Joint Training Method with
    Co-Regularization <https://arxiv.org/abs/2003.02752>`_ (CVPR 2020),
    official code ``hongxin001/JoCoR``.

    Both networks see the batch; the joint per-sample loss
    (:func:`~lnl_mm.models.selection.jocor_per_sample_loss`)

    .. math::
        \ell_i = (1 - \lambda)(CE^1_i + CE^2_i)
        + \lambda\,(KL(p^2_i \| p^1_i) + KL(p^1_i \| p^2_i))

    ranks the batch, and the mean of :math:`\ell` over the
    :math:`\lfloor (1 - \tau_T) B \rfloor` smallest is minimised by **one**
    optimizer over both networks (the official single Adam:
    ``optim_wrapper=dict(constructor='TwoNetworkOptimWrapperConstructor',
    joint=True, ...)``). The selection is shared (no exchange) and runs over
    the global batch under DDP. Nothing is detached: the agreement term
    pulls both networks towards each other.

    Args:
        forget_rate (float): :math:`\tau` in ``[0, 1)``. The official
            default is the noise rate, half of it for asymmetric noise.
        co_lambda (float): :math:`\lambda`. The official README: 0.9 for
            CIFAR-10 (0.65 at 80 % symmetric noise), 0.85 for CIFAR-100
            (the code's argparse default 0.1 is not what it reports).
            Defaults to 0.9.
        num_gradual (int): :math:`T_k`. Defaults to 10.
        exponent (float): :math:`c`. Defaults to 1.
        schedule (str): ``'official'`` (default) or ``'paper'``.
        **kwargs: Arguments of :class:`TwoNetworkClassifier`.
    """

    joint_optimizer = True

    def __init__(self,
                 *args,
                 forget_rate: float,
                 co_lambda: float = 0.9,
                 num_gradual: int = 10,
                 exponent: float = 1.0,
                 schedule: str = 'official',
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.init_schedule(forget_rate, num_gradual, exponent, schedule)
        if isinstance(co_lambda, bool) or not isinstance(
                co_lambda, (int, float)) or not 0 <= co_lambda <= 1:
            raise ValueError(f'co_lambda must be a number in [0, 1], got '
                             f'co_lambda={co_lambda!r}')
        self.co_lambda = float(co_lambda)
        self.check_plain_ce()

    def two_network_step(self, data, wrappers: Tuple[OptimWrapper,
                                                     ...]) -> Dict:
        (joint, ) = wrappers
        batch = self.data_preprocessor(data, True)
        samples, inputs = batch['data_samples'], batch['inputs']
        labels = self._labels(samples).to(inputs.device)
        with joint.optim_context(self):
            z1 = self.logits(self.net1, inputs)
            z2 = self.logits(self.net2, inputs)
        rate = self.current_forget_rate()
        joint_losses = jocor_per_sample_loss(z1, z2, labels, self.co_lambda)
        kept = global_small_loss_mask(joint_losses, rate)
        count = self.global_count(kept.sum(), inputs.device).clamp_min(1)
        loss = (joint_losses * kept).sum() / count
        self.update(loss, joint, self.net1, self.net2)
        self.record(samples, z1, selected=kept)
        return dict(loss=loss.detach(), forget_rate=torch.tensor(rate))
