# Copyright (c) lnl_mm contributors. All rights reserved.
"""A CE warm-up before generalized label smoothing, in the same run."""
from typing import Tuple

from mmengine.hooks import Hook
from mmpretrain.registry import HOOKS

from ...models.losses import GLSLoss
from ...utils.log import log_info
from ..utils.model import unwrap_model


@HOOKS.register_module()
class GLSWarmupHook(Hook):
    """Train the head's :class:`~lnl_mm.models.losses.GLSLoss` as plain CE
    (``wa = 1, wb = 0``, the official warm-up) for the first
    ``warmup_epochs`` epochs, then with the weights the config gives it.

    The official GLS procedure is two runs (a CE warm-up, then GLS loaded
    from its checkpoint); this hook is the one-run form for a fixed budget,
    on one optimizer and schedule. The phase follows from the epoch alone,
    so a resumed run is in the phase its epoch says.

    Args:
        warmup_epochs (int): CE epochs, ``>= 1`` and fewer than the run's.
    """

    priority = 'NORMAL'

    def __init__(self, warmup_epochs: int):
        if (isinstance(warmup_epochs, bool)
                or not isinstance(warmup_epochs, int) or warmup_epochs < 1):
            raise ValueError('GLSWarmupHook: warmup_epochs must be an '
                             f'integer >= 1, got {warmup_epochs!r}')
        self.warmup_epochs = warmup_epochs
        self._gls_weights: Tuple[float, float] = (0.0, 1.0)

    def _loss(self, runner) -> GLSLoss:
        loss = getattr(
            getattr(unwrap_model(runner.model), 'head', None), 'loss_module',
            None)
        if not isinstance(loss, GLSLoss):
            raise TypeError('GLSWarmupHook: the model\'s head.loss_module '
                            'must be a GLSLoss, got '
                            f'{type(loss).__name__}')
        return loss

    def before_train(self, runner) -> None:
        if self.warmup_epochs >= runner.max_epochs:
            raise ValueError(
                f'GLSWarmupHook: warmup_epochs={self.warmup_epochs} leaves '
                f'no GLS epoch in a run of max_epochs={runner.max_epochs}')
        loss = self._loss(runner)
        self._gls_weights = (loss.wa, loss.wb)

    def before_train_epoch(self, runner) -> None:
        loss = self._loss(runner)
        warm = runner.epoch < self.warmup_epochs
        loss.wa, loss.wb = (1.0, 0.0) if warm else self._gls_weights
        if runner.epoch == self.warmup_epochs or (warm and runner.epoch == 0):
            log_info(f'GLSWarmupHook: epoch {runner.epoch + 1}: ' +
                     ('CE warm-up'
                      if warm else f'GLS (smooth_rate={loss.smooth_rate}, '
                      f'wa={loss.wa}, wb={loss.wb})'))
