# Copyright (c) lnl_mm contributors. All rights reserved.
"""Best / last / mean-of-last-k clean-test accuracy, in a JSON summary."""
import json
import os.path as osp
from typing import Dict, Optional

from mmengine.dist import is_main_process
from mmengine.hooks import Hook
from mmengine.runner import EpochBasedTrainLoop
from mmpretrain.registry import HOOKS

from ...evaluation import summarize_history
from .resume_utils import resumed_state

SUMMARY_NAME = 'summary.json'


@HOOKS.register_module()
class AccuracySummaryHook(Hook):
    """Record every validation result and summarise the run honestly.

    After every validation the history of ``metric`` is summarised into
    ``<work_dir>/summary.json``: the last-epoch value, the mean ± std of the
    last ``last_k`` evaluations and the best epoch (chosen with the test
    labels, so reported for information only; ``docs/design.md``, decision 7).
    The history is saved in checkpoints, so a resumed run keeps it.
    Several instances may run side by side (e.g. the EMA and the raw model
    of :class:`MomentumModelHook`) if their ``filename`` differs.

    Args:
        metric (str): Key of the validation metric.
            Defaults to ``'accuracy/top1'``.
        last_k (int): Window of the mean of the last evaluations.
            Defaults to 5.
        filename (str): Summary file name in the work dir.
            Defaults to ``'summary.json'``.
        evaluated_on (str): What the validation set is, for the log and the
            summary: ``'clean test labels'`` (the default), ``'held-out noisy
            labels'`` (a sweep that validates on held-out training data) or
            ``'clean test images'`` (denoising).
    """

    priority = 'BELOW_NORMAL'

    def __init__(self,
                 metric: str = 'accuracy/top1',
                 last_k: int = 5,
                 filename: str = SUMMARY_NAME,
                 evaluated_on: str = 'clean test labels'):
        if last_k < 1:
            raise ValueError(f'last_k must be >= 1, got last_k={last_k}')
        self.metric = metric
        self.last_k = last_k
        self.filename = filename
        self.evaluated_on = evaluated_on
        self.history = []
        self._stashed = None

    @property
    def _ckpt_key(self) -> str:
        key = 'accuracy_summary_history'
        return key if self.filename == SUMMARY_NAME else \
            f'{key}/{self.filename}'

    def before_train(self, runner) -> None:
        """Re-validate a resumed checkpoint whose evaluation was not saved.

        MMEngine writes the epoch-E checkpoint *before* validating epoch E,
        so a run resumed from it would silently miss that evaluation. The
        weights are those that were evaluated, so evaluating them again
        restores the missing entry.

        Args:
            runner (Runner): The runner of the training process.
        """
        saved = resumed_state(runner, self._stashed)
        self._stashed = None
        if saved is not None:
            # keep what another summary hook's re-validation already added
            restored = [(int(e), float(v)) for e, v in saved]
            last = restored[-1][0] if restored else 0
            self.history = restored + [h for h in self.history if h[0] > last]
        loop = runner.train_loop
        if runner.epoch == 0 or \
                not isinstance(loop, EpochBasedTrainLoop) or \
                runner._val_loop is None:
            return
        due = runner.epoch >= loop.val_begin and \
            runner.epoch % loop.val_interval == 0
        if due and (not self.history or self.history[-1][0] < runner.epoch):
            runner.logger.info(f'Re-validating the resumed epoch '
                               f'{runner.epoch} for the summary.')
            runner.val_loop.run()

    def after_val_epoch(self,
                        runner,
                        metrics: Optional[Dict[str, float]] = None) -> None:
        """Append the metric of this evaluation and rewrite the summary.

        Args:
            runner (Runner): The runner of the training process.
            metrics (dict, optional): The validation metrics.
        """
        if not metrics or self.metric not in metrics:
            raise KeyError(
                f'AccuracySummaryHook.metric={self.metric!r} is not among the '
                f'validation metrics {sorted(metrics or {})}')
        self.history.append((runner.epoch, float(metrics[self.metric])))
        self._write(runner)

    def summary(self) -> dict:
        """The current summary dict."""
        return dict(
            metric=self.metric,
            evaluated_on=self.evaluated_on,
            **summarize_history(self.history, self.last_k),
            history=[dict(epoch=e, value=v) for e, v in self.history])

    def _write(self, runner) -> None:
        if is_main_process():
            with open(osp.join(runner.work_dir, self.filename), 'w') as f:
                json.dump(self.summary(), f, indent=2)

    def after_train(self, runner) -> None:
        """Log the final summary.

        Args:
            runner (Runner): The runner of the training process.
        """
        s = self.summary()
        if not s.get('num_evaluations'):
            return
        caveat = ', optimistic' if 'test' in self.evaluated_on else ''
        runner.logger.info(
            f'{self.metric} on {self.evaluated_on}: last {s["last"]:.2f} '
            f'(epoch {s["last_epoch"]}), mean of last {s["k"]} '
            f'{s["mean_last_k"]:.2f} ± {s["std_last_k"]:.2f}, best '
            f'{s["best"]:.2f} (epoch {s["best_epoch"]}, picked on the '
            f'{self.evaluated_on}{caveat}). '
            f'Summary: {osp.join(runner.work_dir, self.filename)}')

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        """Save the history.

        Args:
            runner (Runner): The runner of the training process.
            checkpoint (dict): The checkpoint being saved.
        """
        checkpoint[self._ckpt_key] = [list(h) for h in self.history]

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        """Keep the saved history; ``before_train`` restores it when the
        run resumed (not for ``load_from``).

        Args:
            runner (Runner): The runner of the training process.
            checkpoint (dict): The loaded checkpoint.
        """
        self._stashed = checkpoint.get(self._ckpt_key)
