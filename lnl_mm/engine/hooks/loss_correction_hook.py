# Copyright (c) lnl_mm contributors. All rights reserved.
"""Give forward / backward loss correction its transition matrix: the
anchor-point estimate after a CE warm-up, or the oracle matrix."""
import json
import os.path as osp
from typing import Optional

import numpy as np
import torch
from mmengine.dist import is_main_process
from mmengine.hooks import Hook
from mmengine.runner import IterBasedTrainLoop
from mmpretrain.registry import HOOKS

from ...datasets.noise import noise_statistics
from ...datasets.wrappers.utils import find_noisy_dataset, sample_indices
from ...evaluation.dynamics_plots import plot_matrices
from ...evaluation.transition_estimate import (ANCHOR_PERCENTILE,
                                               anchor_transition,
                                               realised_transition,
                                               transition_error,
                                               transition_summary)
from ...models.losses.loss_correction_utils import (BaseCorrectionLoss,
                                                    read_transition)
from ...utils.log import log_info
from ..utils.model import unwrap_model
from ..utils.predict import dataset_loader, predict_logits

SOURCES = ('estimate', 'oracle', 'file')
#: CE epochs before the estimate by default (not tuned).
WARMUP_EPOCHS = 3


@HOOKS.register_module()
class LossCorrectionHook(Hook):
    """Set the transition matrix ``T`` of the head's
    :class:`~lnl_mm.models.losses.ForwardCorrectionLoss` or
    :class:`~lnl_mm.models.losses.BackwardCorrectionLoss`.

    - ``source='estimate'`` (the paper's method): the loss is plain CE for
      the first ``warmup_epochs`` epochs; after them the model predicts the
      whole training set (eval mode, training pipeline, in order, all ranks
      gathered), the anchor-point estimator
      (:func:`~lnl_mm.evaluation.anchor_transition`) gives ``T``, and the
      corrected loss trains from the next epoch on.
    - ``source='oracle'``: ``T`` is the realised matrix of the training
      set's clean and given labels (known only for synthetic noise; a
      reference, not a method), set before the first epoch.
    - ``source='file'``: ``T`` from ``file`` (another run's
      ``transition_estimate.json``, a ``noise_manifest.json`` or a ``.npy``)
      before the first epoch: the official two-run procedure, with this
      run's record of the error.

    ``T`` is written to ``<work_dir>/transition_estimate.json`` (with the
    anchors and, when clean labels exist, the realised ``T`` and the error)
    and drawn next to the realised ``T`` in ``transition_estimate.png``.
    It lives in the loss's buffers, so a resumed run keeps it.

    Args:
        source (str): ``'estimate'``, ``'oracle'`` or ``'file'``. Defaults
            to ``'estimate'``.
        warmup_epochs (int, optional): CE epochs before the estimate
            (``>= 1``; only with ``source='estimate'``). Defaults to None:
            :data:`WARMUP_EPOCHS`.
        file (str, optional): The matrix, with ``source='file'`` (only).
        percentile (float): The anchors' outlier filter. Defaults to 97.
        filter_outlier (bool): Use the filter. Defaults to True.
        official_inplace (bool): The official estimator's in-place side
            effect (see :func:`~lnl_mm.evaluation.anchor_transition`).
            Defaults to False.
        filename (str): Defaults to ``'transition_estimate.json'``.
    """

    priority = 'NORMAL'

    def __init__(self,
                 source: str = 'estimate',
                 warmup_epochs: Optional[int] = None,
                 file: Optional[str] = None,
                 percentile: float = ANCHOR_PERCENTILE,
                 filter_outlier: bool = True,
                 official_inplace: bool = False,
                 filename: str = 'transition_estimate.json'):
        if source not in SOURCES:
            raise ValueError(f'LossCorrectionHook: source must be one of '
                             f'{SOURCES}, got source={source!r}')
        if source != 'estimate' and warmup_epochs is not None:
            raise ValueError('LossCorrectionHook: warmup_epochs applies to '
                             f"source='estimate'; with source={source!r} T "
                             'is set before training, got '
                             f'warmup_epochs={warmup_epochs!r}')
        if (source == 'file') != (file is not None):
            raise ValueError("LossCorrectionHook: file= goes with "
                             f"source='file' (and only there), got "
                             f'source={source!r}, file={file!r}')
        if source == 'estimate' and warmup_epochs is None:
            warmup_epochs = WARMUP_EPOCHS
        if source == 'estimate' and (isinstance(warmup_epochs, bool)
                                     or not isinstance(warmup_epochs, int)
                                     or warmup_epochs < 1):
            raise ValueError('LossCorrectionHook: warmup_epochs must be an '
                             'int >= 1 (the estimate needs a trained model), '
                             f'got warmup_epochs={warmup_epochs!r}')
        if isinstance(percentile, bool) or not isinstance(
                percentile, (int, float)) or not 0 < percentile <= 100:
            raise ValueError('LossCorrectionHook: percentile must be a number '
                             f'in (0, 100], got percentile={percentile!r}')
        self.source = source
        self.warmup_epochs = warmup_epochs
        self.file = file
        self.percentile = percentile
        self.filter_outlier = filter_outlier
        self.official_inplace = official_inplace
        self.filename = filename

    @staticmethod
    def _model(runner):
        return unwrap_model(runner.model)

    def _loss(self, runner) -> BaseCorrectionLoss:
        model = self._model(runner)
        loss = getattr(getattr(model, 'head', None), 'loss_module', None)
        if not isinstance(loss, BaseCorrectionLoss):
            raise TypeError(
                'LossCorrectionHook sets the transition matrix of '
                'ForwardCorrectionLoss or BackwardCorrectionLoss (the '
                "head's loss); this model's head loss is "
                f'{type(loss).__name__}')
        return loss

    def before_train(self, runner) -> None:
        """Check the loss; set the oracle ``T`` or start the warm-up."""
        loss = self._loss(runner)
        if loss.given_transition:
            raise ValueError(
                f'{type(loss).__name__} was given transition= in the config '
                'and LossCorrectionHook would replace it: use one of the two')
        if loss.ready:
            if runner.iter > 0:  # resumed after the matrix was set
                return
            # a new run whose load_from checkpoint holds a matrix: this
            # run's source decides
            log_info('LossCorrectionHook: the loaded checkpoint holds a '
                     'transition matrix; this run sets its own '
                     f'(source={self.source!r})')
            loss.clear_transition()
        if self.source == 'estimate':
            self._check_schedule(runner)
        if self.source == 'oracle':
            noisy = self._noisy(runner)
            idx = self._trained_idx(runner)
            T = self._realised(noisy, idx, loss.num_classes)
            loss.set_transition(T)
            self._write(runner, T, None, idx, None)
            return
        if self.source == 'file':
            loss.set_transition(read_transition(self.file))
            T = loss.transition.numpy(force=True)
            noisy = find_noisy_dataset(runner.train_dataloader.dataset)
            idx = self._trained_idx(runner)
            realised = None if noisy is None else self._realised(
                noisy, idx, loss.num_classes)
            self._write(runner, T, realised, idx, None)
            return
        loss.warming_up = True
        log_info(f'LossCorrectionHook: plain CE for {self.warmup_epochs} '
                 'warm-up epochs, then the anchor-point estimate of T')

    def _check_schedule(self, runner) -> None:
        """The estimate happens after an epoch: refuse a schedule that
        never reaches it."""
        loop = runner.train_loop
        if isinstance(loop,
                      IterBasedTrainLoop) or not hasattr(loop, 'max_epochs'):
            raise ValueError(
                "LossCorrectionHook(source='estimate') estimates T after "
                'epoch warmup_epochs: it needs an epoch-based train loop, '
                f'got {type(loop).__name__}')
        max_epochs = loop.max_epochs
        if self.warmup_epochs > max_epochs:
            raise ValueError(
                f'LossCorrectionHook: warmup_epochs={self.warmup_epochs} > '
                f'max_epochs={max_epochs}: the estimate would never happen '
                'and the whole run would be plain CE')
        if self.warmup_epochs == max_epochs:
            log_info(f'LossCorrectionHook: warmup_epochs = max_epochs = '
                     f'{max_epochs}: this run only estimates T (no corrected '
                     'epoch follows; train with it by source=\'file\')')

    @staticmethod
    def _trained_idx(runner) -> np.ndarray:
        """The ``sample_idx`` of the training set (a held-out split trains
        on part of the noisy wrapper)."""
        return np.unique(sample_indices(runner.train_dataloader.dataset))

    def after_train_epoch(self, runner) -> None:
        """Estimate ``T`` at the end of the warm-up."""
        loss = self._loss(runner)
        if (self.source != 'estimate' or loss.ready
                or runner.epoch + 1 < self.warmup_epochs):
            return
        model = self._model(runner)
        idx, logits = predict_logits(
            model,
            dataset_loader(runner.train_dataloader),
            progress='LossCorrectionHook: predicting the training set')
        probs = torch.from_numpy(logits).double().softmax(dim=1).numpy()
        T, anchors = anchor_transition(
            probs,
            self.percentile,
            self.filter_outlier,
            official_inplace=self.official_inplace)
        loss.set_transition(T)
        loss.warming_up = False
        noisy = find_noisy_dataset(runner.train_dataloader.dataset)
        realised = None
        if noisy is not None and noisy.clean_labels is not None:
            realised = self._realised(noisy, idx, loss.num_classes)
        self._write(runner, T, realised, idx, idx[anchors])

    @staticmethod
    def _noisy(runner):
        noisy = find_noisy_dataset(runner.train_dataloader.dataset)
        if noisy is None or noisy.clean_labels is None:
            raise ValueError(
                "LossCorrectionHook: source='oracle' needs the clean labels "
                'of a NoisyLabelDataset training set (synthetic noise); use '
                "source='estimate'")
        return noisy

    @staticmethod
    def _realised(noisy, idx: np.ndarray, num_classes: int) -> np.ndarray:
        """The realised ``T`` of the samples ``idx`` (those trained on)."""
        stats = noise_statistics(
            np.asarray(noisy.clean_labels)[idx],
            np.asarray(noisy.noisy_labels)[idx], num_classes)
        return realised_transition(stats['transition_matrix'])

    def _write(self, runner, T: np.ndarray, realised: Optional[np.ndarray],
               idx: np.ndarray, anchors: Optional[np.ndarray]) -> None:
        epoch = 0 if self.source != 'estimate' else runner.epoch + 1
        if self.source == 'oracle':
            log_info('LossCorrectionHook: the oracle T (the realised '
                     'transition of the training labels), noise rate '
                     f'{1 - np.trace(T) / len(T):.4f}')
        elif self.source == 'file':
            log_info(f'LossCorrectionHook: T from {self.file}: ' +
                     transition_summary(T, realised))
        else:
            log_info(f'LossCorrectionHook, after epoch {epoch}: ' +
                     transition_summary(T, realised))
        if not is_main_process():
            return
        record = dict(
            source=self.source,
            file=self.file,
            epoch=epoch,
            percentile=self.percentile,
            filter_outlier=self.filter_outlier,
            num_samples=int(len(idx)),
            # the mean off-diagonal mass (equal class sizes): the noise
            # rate that Co-teaching's and JoCoR's forget_rate take
            noise_rate=float(1 - np.trace(T) / len(T)),
            transition=T.tolist(),
            anchors=None if anchors is None else [int(a) for a in anchors],
            realised=None if realised is None else realised.tolist(),
            error=None if realised is None else transition_error(T, realised))
        path = osp.join(runner.work_dir, self.filename)
        with open(path, 'w') as f:
            json.dump(record, f, indent=1)
        if self.source == 'oracle':
            panels = [('oracle T = realised P(given | clean)', T)]
        else:
            panels = [
                (f'anchor-point estimate, after epoch {epoch}' if self.source
                 == 'estimate' else f'T from {osp.basename(self.file)}', T)
            ]
            if realised is not None:
                panels.insert(0, ('realised T: P(given | clean)', realised))
        plot_matrices(panels, osp.splitext(path)[0] + '.png')
