# Copyright (c) lnl_mm contributors. All rights reserved.
"""Per-epoch memorisation diagnostics on the training set."""
import json
import os
import os.path as osp
from typing import Optional

import numpy as np
import torch
from mmengine.dist import all_gather_object, is_main_process
from mmengine.hooks import Hook
from mmpretrain.registry import HOOKS
from mmpretrain.utils import get_ori_model

from ...datasets.wrappers import find_noisy_dataset
from ...evaluation import (epoch_dynamics, make_record, plot_loss_distribution,
                           plot_memorization)
from ..utils.stage import is_extra_pass
from .resume_utils import resumed_state

DYNAMICS_NAME = 'training_dynamics.json'
#: Message-hub prefix of the dynamics in the validation line.
VAL_PREFIX = 'val/dynamics/'


def read_rgb(path: str) -> np.ndarray:
    """A PNG as an ``(H, W, 3)`` uint8 array."""
    import matplotlib.image
    img = matplotlib.image.imread(path)
    if img.dtype != np.uint8:
        img = (np.clip(img, 0, 1) * 255).round().astype(np.uint8)
    return img[..., :3]


@HOOKS.register_module()
class TrainingDynamicsHook(Hook):
    """Log how a model fits clean and noisy training samples, per epoch.

    The hook records the logits the head produces for every training batch
    (a forward hook on ``model.head``; the first head call of each iteration
    is used, so no extra forward pass is run) and, at the end of every
    ``interval``-th epoch, computes with
    :func:`~lnl_mm.evaluation.epoch_dynamics`: training accuracy against the
    given and against the clean labels, the share of noisy samples memorised
    or corrected, and mean losses of clean and noisy samples. Given and
    clean labels are looked up by ``sample_idx`` in the
    :class:`~lnl_mm.datasets.NoisyLabelDataset`, never read by training.

    Outputs: scalars ``dynamics/<name>`` in MMEngine's JSON log (in the
    validation line of an epoch that validates: mmpretrain's
    ``analyze_logs.py plot_curve --keys dynamics/noisy_memorized`` plots
    them) and its visualizer backends; with a ``TensorboardVisBackend``
    also the loss histograms of clean and noisy samples and the figures
    below as images, per epoch; ``<work_dir>/training_dynamics.json``,
    ``<work_dir>/plots/memorization.png``,
    ``<work_dir>/plots/loss_dist_epoch_<E>.png`` and, with
    ``save_per_sample``, ``<work_dir>/dynamics/epoch_<E>.npz`` (sample
    index, prediction, probability of the given label, loss, given and
    clean label), which the tools in ``tools/analysis_tools`` read.

    Note:
        The logits are those of the training forward pass (augmented
        inputs, train-mode BatchNorm), the standard "training accuracy".

    Args:
        interval (int): Compute every ``interval`` epochs. Defaults to 1.
        save_per_sample (bool): Save per-sample arrays. Defaults to True.
        plot (bool): Draw PNG plots. Defaults to True.
    """

    priority = 'NORMAL'

    def __init__(self,
                 interval: int = 1,
                 save_per_sample: bool = True,
                 plot: bool = True):
        if interval < 1:
            raise ValueError(f'interval must be >= 1, got interval={interval}')
        self.interval = interval
        self.save_per_sample = save_per_sample
        self.plot = plot
        self.history = []
        self._stashed = None
        self._handle = None
        self._active = False
        self._captured: Optional[torch.Tensor] = None
        self._records = []

    def _capture(self, module, inputs, output) -> None:
        if self._active and self._captured is None and \
                isinstance(output, torch.Tensor) and output.dim() == 2:
            self._captured = output.detach().float().cpu()

    def before_train(self, runner) -> None:
        """Restore a resumed history and attach the forward hook to the head.

        Args:
            runner (Runner): The runner of the training process.
        """
        saved = resumed_state(runner, self._stashed)
        self._stashed = None
        if saved is not None:
            self.history = json.loads(saved)
        head = getattr(get_ori_model(runner.model), 'head', None)
        if head is None:
            raise TypeError('TrainingDynamicsHook needs a model with a head')
        self._handle = head.register_forward_hook(self._capture)
        self._noisy = find_noisy_dataset(runner.train_dataloader.dataset)

    def before_train_epoch(self, runner) -> None:
        """Start recording if this epoch is reported.

        Args:
            runner (Runner): The runner of the training process.
        """
        self._active = self.every_n_epochs(runner, self.interval)
        self._records = []
        # an epoch without dynamics must not log the previous epoch's in
        # its validation line (the message hub keeps, and checkpoints, them)
        hub = runner.message_hub
        for key in [k for k in hub.log_scalars if k.startswith(VAL_PREFIX)]:
            hub.log_scalars.pop(key)

    def before_train_iter(self,
                          runner,
                          batch_idx: int,
                          data_batch=None) -> None:
        """Reset the capture slot.

        Args:
            runner (Runner): The runner of the training process.
            batch_idx (int): Index of the batch.
            data_batch (dict, optional): The batch.
        """
        self._captured = None

    def after_train_iter(self,
                         runner,
                         batch_idx: int,
                         data_batch=None,
                         outputs=None) -> None:
        """Pair the captured logits with the batch's ``sample_idx``.

        Args:
            runner (Runner): The runner of the training process.
            batch_idx (int): Index of the batch.
            data_batch (dict, optional): The batch.
            outputs (dict, optional): The step outputs.
        """
        if is_extra_pass(runner):
            # Dynamic Loss's pass over the meta set, DivideMix's net2 and
            # semi-supervised passes: not visits of the epoch's training
            # pass.
            self._captured = None
            return
        # Meta classifiers run functional passes through the head (meta
        # batch first) and expose the real training logits instead.
        own = getattr(get_ori_model(runner.model), 'last_train_logits', None)
        if own is not None:
            self._captured = own
        if not self._active or self._captured is None or data_batch is None:
            return
        samples = data_batch.get('data_samples') or []
        idx = [s.metainfo.get('sample_idx') for s in samples]
        if len(idx) == self._captured.shape[0] and None not in idx:
            self._records.append(
                (np.asarray(idx, dtype=np.int64), self._captured.numpy()))
        self._captured = None

    def after_train_epoch(self, runner) -> None:
        """Gather the epoch's records, compute, log, save and plot.

        Args:
            runner (Runner): The runner of the training process.
        """
        if not self._active:
            return
        self._active = False
        parts = all_gather_object(self._records)
        self._records = []
        pairs = [r for part in parts for r in part]
        if not pairs:
            return
        idx = np.concatenate([p[0] for p in pairs])
        logits = np.concatenate([p[1] for p in pairs])
        # Keep the last record of a sample (DDP padding, repeated datasets).
        _, last = np.unique(idx[::-1], return_index=True)
        keep = len(idx) - 1 - last
        idx, logits = idx[keep], logits[keep]
        noisy = self._noisy
        if noisy is not None:
            given = noisy.noisy_labels[idx]
            clean = noisy.clean_labels[idx]
        else:
            given = runner.train_dataloader.dataset.get_gt_labels()[idx]
            clean = None
        stats = epoch_dynamics(logits, given, clean)
        stats['epoch'] = runner.epoch + 1
        self.history.append(stats)
        scalars = {
            f'dynamics/{k}': v
            for k, v in stats.items() if isinstance(v, float)
        }
        self._publish(runner, scalars)
        if is_main_process():
            self._save(runner, stats['epoch'], idx, logits, given, clean)

    @staticmethod
    def _val_due(runner) -> bool:
        """Whether the epoch ending now validates: MMEngine's own condition
        (``EpochBasedTrainLoop.run``; ``val_interval`` is the current one
        under ``dynamic_intervals``)."""
        loop = runner.train_loop
        if runner._val_loop is None or not hasattr(loop, 'val_interval'):
            return False
        epoch = runner.epoch + 1
        return epoch >= loop.val_begin and (epoch % loop.val_interval == 0
                                            or epoch == loop.max_epochs)

    def _publish(self, runner, scalars: dict) -> None:
        """The scalars into MMEngine's JSON log (``<timestamp>.json``, which
        mmpretrain's ``analyze_logs.py plot_curve --keys dynamics/...``
        reads), the visualizer's backends (TensorBoard) and the log.

        In an epoch that validates, they join the validation line (as
        ``val/dynamics/...`` in the message hub: the line ``analyze_logs``
        reads needs every key on every validation entry); otherwise they are
        a line of their own, at the epoch's step."""
        text = ', '.join(f'{k.split("/")[1]}={v:.4f}'
                         for k, v in scalars.items())
        if self._val_due(runner):
            hub = runner.message_hub
            for key, value in scalars.items():
                # one value per buffer: the log processor averages keys
                # matching 'loss' over a window, which would mix epochs
                hub.log_scalars.pop(f'val/{key}', None)
                hub.update_scalar(f'val/{key}', value)
            runner.logger.info(f'Training dynamics (epoch {runner.epoch + 1}'
                               f', in the validation line): {text}')
            return
        runner.visualizer.add_scalars(
            scalars,
            step=runner.epoch + 1,
            file_path=f'{runner.timestamp}.json')
        runner.logger.info(f'Training dynamics: {text}')

    @staticmethod
    def _tensorboard(runner):
        """The run's TensorBoard writer, if it has one."""
        backend = runner.visualizer.get_backend('TensorboardVisBackend')
        return None if backend is None else backend.experiment

    def _save(self, runner, epoch, idx, logits, given, clean) -> None:
        with open(osp.join(runner.work_dir, DYNAMICS_NAME), 'w') as f:
            json.dump(self.history, f, indent=2)
        record = make_record(idx, logits, given, clean)
        if self.save_per_sample:
            out_dir = osp.join(runner.work_dir, 'dynamics')
            os.makedirs(out_dir, exist_ok=True)
            np.savez_compressed(
                osp.join(out_dir, f'epoch_{epoch}.npz'), **record)
        board = self._tensorboard(runner)
        if board is not None and clean is not None:
            noisy = given != clean
            for name, part in (('clean', ~noisy), ('noisy', noisy)):
                if part.any():
                    board.add_histogram(f'dynamics/loss_{name}',
                                        record['loss'][part], epoch)
        if self.plot:
            plot_dir = osp.join(runner.work_dir, 'plots')
            os.makedirs(plot_dir, exist_ok=True)
            figures = [('memorization', osp.join(plot_dir,
                                                 'memorization.png'))]
            plot_memorization(self.history, figures[0][1])
            if clean is not None:
                figures.append(('loss_distribution',
                                osp.join(plot_dir,
                                         f'loss_dist_epoch_{epoch}.png')))
                plot_loss_distribution(
                    record['loss'],
                    given != clean,
                    figures[-1][1],
                    title=f'Per-sample loss, epoch {epoch}')
            if board is not None:  # the figures as images, per epoch
                for name, path in figures:
                    board.add_image(
                        f'dynamics/{name}',
                        read_rgb(path),
                        epoch,
                        dataformats='HWC')

    def after_train(self, runner) -> None:
        """Detach the forward hook.

        Args:
            runner (Runner): The runner of the training process.
        """
        if self._handle is not None:
            self._handle.remove()
            self._handle = None

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        """Save the history.

        Args:
            runner (Runner): The runner of the training process.
            checkpoint (dict): The checkpoint being saved.
        """
        checkpoint['training_dynamics_history'] = json.dumps(self.history)

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        """Keep the saved history; ``before_train`` restores it when the
        run resumed.

        Args:
            runner (Runner): The runner of the training process.
            checkpoint (dict): The loaded checkpoint.
        """
        self._stashed = checkpoint.get('training_dynamics_history')
