# Copyright (c) lnl_mm contributors. All rights reserved.
"""Stochastic label noise (SLN): Gaussian noise on the training target."""
from typing import Optional

import torch
from mmpretrain.registry import MODELS

from .utils import LogitView, SeededDrawLoss, check_non_negative


def sln_loss(cls_score: torch.Tensor,
             target: torch.Tensor,
             sigma: float,
             noise: Optional[torch.Tensor] = None) -> torch.Tensor:
    r"""Per-sample SLN loss (see :class:`SLNLoss`).

    Args:
        cls_score (Tensor): Logits ``(N, C)``.
        target (Tensor): Index labels ``(N,)`` or soft targets ``(N, C)``.
        sigma (float): Standard deviation of the label noise.
        noise (Tensor, optional): The standard normal draw ``eps`` of shape
            ``(N, C)``; drawn fresh with :func:`torch.randn` when None.

    Returns:
        Tensor: ``(N,)`` losses.
    """
    return _sln(LogitView(cls_score, target), sigma, noise)


def _sln(view: LogitView, sigma: float,
         noise: Optional[torch.Tensor]) -> torch.Tensor:
    ce = view.cross_entropy()
    if sigma == 0:
        return ce
    logp = view.logp
    if noise is None:
        noise = torch.randn_like(logp)
    elif noise.shape != logp.shape:
        raise ValueError(f'SLNLoss: noise shape {tuple(noise.shape)} does not '
                         f'match cls_score {tuple(logp.shape)}')
    # -sum_k (t_k + sigma * eps_k) log p_k, split so that the CE part keeps
    # its gather fast path for index targets.
    return ce - sigma * (noise.to(logp.dtype) * logp).sum(dim=1)


@MODELS.register_module()
class SLNLoss(SeededDrawLoss):
    r"""Cross-entropy against a target perturbed by stochastic label noise.

    `Noise against noise: stochastic label noise helps combat inherent label
    noise <https://openreview.net/forum?id=80FMcTSZ6J0>`_ (ICLR 2021)

    .. math::
        \mathrm{SLN}(z, t) = -\sum_k (t_k + \sigma \epsilon_k) \log p_k,
        \qquad \epsilon \sim \mathcal{N}(0, I_C)

    ``t`` is the one-hot given label or a soft target (the corrected labels
    of label correction arrive as ``gt_score`` from the model's store).
    ``epsilon`` is drawn fresh for every sample at every training call; the
    noisy target is **not** renormalised and may be negative, as in the
    official code.

    The official code draws ``epsilon`` from the global torch generator,
    which MMEngine re-seeds on ``--resume``, so a resumed run would draw
    other noise than the uninterrupted one. Here each call draws from its
    own generator (:class:`~lnl_mm.models.losses.utils.SeededDrawLoss`), so
    kill + resume draws exactly the noise of the uninterrupted run and the
    ranks of a distributed run draw independently. The noise is added in
    training mode only, so ``model.eval()`` (and ``sigma = 0``) gives
    exactly the cross-entropy.
    Label correction (:class:`~lnl_mm.engine.hooks.SLNLabelCorrectionHook`)
    sets ``sigma`` to 0 when it starts.

    Args:
        sigma (float): Standard deviation of the label noise, ``>= 0``.
            The official values: CIFAR-10 1.0 (symmetric) or 0.5 (others),
            CIFAR-100 0.2 (0.1 for dependent noise).
        seed (int): Seed of the noise draws. Defaults to 0.
        reduction (str): Defaults to ``'mean'``.
        loss_weight (float): Defaults to 1.0.
    """

    def __init__(self,
                 sigma: float,
                 seed: int = 0,
                 reduction: str = 'mean',
                 loss_weight: float = 1.0):
        super().__init__(seed, reduction, loss_weight)
        self.sigma = sigma

    @property
    def sigma(self) -> float:
        """Standard deviation of the label noise."""
        return self._sigma

    @sigma.setter
    def sigma(self, value: float) -> None:
        check_non_negative('SLNLoss', sigma=value)
        self._sigma = float(value)

    def draw_noise(self, like: torch.Tensor) -> torch.Tensor:
        """The next standard normal draw, shaped and placed like ``like``."""
        gen = self.next_generator(like.device)
        return torch.randn(
            like.shape, generator=gen, device=like.device, dtype=like.dtype)

    def elementwise(self, view: LogitView) -> torch.Tensor:
        if not self.training or self.sigma == 0:
            return _sln(view, 0.0, None)
        return _sln(view, self.sigma, self.draw_noise(view.logp))

    def extra_repr(self) -> str:
        return f'sigma={self.sigma}, seed={self.seed}'
