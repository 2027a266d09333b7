# Copyright (c) lnl_mm contributors. All rights reserved.
"""Train with a momentum (EMA) model; validate it and the raw model."""
from typing import Dict, Optional

import torch
from mmengine.hooks import EMAHook
from mmengine.runner.amp import autocast
from mmpretrain.registry import HOOKS

from .resume_utils import resumed_state

#: Prefix of the raw (non-averaged) model's validation metrics.
RAW_PREFIX = 'raw'


@HOOKS.register_module()
class MomentumModelHook(EMAHook):
    """SLN-MO's momentum model, on MMEngine's ``EMAHook``.

    Keeps an EMA of the trained model (by default
    :class:`~lnl_mm.models.MomentumModel`: weights and BatchNorm statistics,
    decay 0.999) and, as ``EMAHook`` does, validates and tests the EMA
    weights and stores them as the checkpoint's ``state_dict`` (the raw
    weights go to ``ema_state_dict``; resuming swaps them back). On top:

    * both models start from the same weights: the average is set to the
      trained model in ``before_train``, after MMEngine's weight
      initialisation and ``load_from`` (``EMAHook`` copies it in
      ``before_run``, before ``init_weights``), unless a resumed checkpoint
      brought its own average;
    * with ``eval_raw``, after each validation of the EMA model the raw
      model is validated too and its metrics are added as
      ``raw/<metric>`` (logged, in the visualizer, and visible to later
      hooks such as :class:`AccuracySummaryHook` with
      ``metric='raw/accuracy/top1'``).

    Args:
        ema_type (str): Averaged-model type. Defaults to ``'MomentumModel'``.
        eval_raw (bool): Also validate the raw model. Defaults to True.
        **kwargs: ``EMAHook`` options (``begin_iter``, ``begin_epoch``,
            ``strict_load``) and the averaged model's (``decay``,
            ``update_buffers``, ...).
    """

    def __init__(self,
                 ema_type: str = 'MomentumModel',
                 eval_raw: bool = True,
                 **kwargs):
        super().__init__(ema_type=ema_type, **kwargs)
        self.eval_raw = eval_raw
        self._resumed_average = False
        self._stashed = None

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        """Restore the average when resuming (see ``EMAHook``).

        Args:
            runner (Runner): The runner.
            checkpoint (dict): The loaded checkpoint.
        """
        super().after_load_checkpoint(runner, checkpoint)
        # decided in before_train, where a resume shows as runner.iter > 0
        self._stashed = True if 'ema_state_dict' in checkpoint else None

    def before_train(self, runner) -> None:
        """Start the average at the trained model's initial weights.

        Args:
            runner (Runner): The runner.
        """
        super().before_train(runner)
        self._resumed_average = bool(resumed_state(runner, self._stashed))
        self._stashed = None
        if not self._resumed_average:
            self.ema_model.module.load_state_dict(self.src_model.state_dict())
            self.ema_model.steps.zero_()

    def after_val_epoch(self,
                        runner,
                        metrics: Optional[Dict[str, float]] = None) -> None:
        """Swap the raw weights back and, optionally, validate them.

        Args:
            runner (Runner): The runner.
            metrics (dict, optional): The EMA model's metrics; the raw
                model's are added to it as ``raw/<key>``.
        """
        super().after_val_epoch(runner, metrics)
        if not self.eval_raw or metrics is None:
            return
        raw = self._validate_raw(runner)
        for key, value in raw.items():
            name = f'{RAW_PREFIX}/{key}'
            metrics[name] = value
            if isinstance(value, (int, float)):
                runner.message_hub.update_scalar(f'val/{name}', value)
        runner.logger.info('Raw (non-EMA) model: ' + ', '.join(
            f'{k}: {v:.4f}'
            for k, v in raw.items() if isinstance(v, (int, float))))

    @torch.no_grad()
    def _validate_raw(self, runner) -> dict:
        loop = runner.val_loop
        runner.model.eval()
        for data_batch in loop.dataloader:
            with autocast(enabled=getattr(loop, 'fp16', False)):
                outputs = runner.model.val_step(data_batch)
            loop.evaluator.process(data_samples=outputs, data_batch=data_batch)
        return loop.evaluator.evaluate(len(loop.dataloader.dataset))
