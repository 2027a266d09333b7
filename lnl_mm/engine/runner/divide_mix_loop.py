# Copyright (c) lnl_mm contributors. All rights reserved.
"""The epoch schedule of DivideMix: warm-up, then co-divide and MixMatch."""
import copy
import json
import logging
import os
import os.path as osp
from typing import Dict, List, Optional, Union

import numpy as np
import torch
import torch.nn.functional as F
from mmengine.dist import get_world_size, is_main_process
from mmengine.logging import print_log
from mmpretrain.registry import DATASETS, LOOPS
from torch.utils.data import DataLoader, Subset

from lnl_mm.datasets.wrappers import find_noisy_dataset
from lnl_mm.evaluation.division_plot import plot_division
from lnl_mm.models.classifiers import DivideMixClassifier
from lnl_mm.models.classifiers.two_network_classifier import NETS
from lnl_mm.models.selection import (clean_probability, division_stats,
                                     min_max_normalize)
from lnl_mm.models.utils.dist_utils import broadcast_coalesced
from lnl_mm.utils.log import log_info
from ..utils.config_utils import use_test_pipeline
from ..utils.predict import dataset_loader, predict_logits
from .two_network_train_loop import (TwoNetworkTrainLoop,
                                     refuse_iteration_schedules)

DIVISION_NAME = 'division.json'

#: Logged only by the warm-up steps.
WARMUP_SCALARS = ('train/warmup_ce_', 'train/neg_entropy_')


@LOOPS.register_module()
class DivideMixTrainLoop(TwoNetworkTrainLoop):
    """Train loop of :class:`~lnl_mm.models.DivideMixClassifier`, as the
    official ``Train_cifar.py`` schedules it.

    * **Warm-up** (the first ``warmup_epochs`` epochs): one pass of the
      training loader per network, net1 first, each with its own shuffle
      (``stage='warmup'`` and ``'warmup_peer'``).
    * **Then every epoch**:

      1. *Division pass*: each network, in eval mode, predicts the whole
         training set with the test pipeline; its CE against the given
         labels is min-max normalised, kept in the model's store (the
         mixture's input is the mean of the last ``loss_history`` epochs)
         and fitted with a two-component Gaussian mixture
         (:func:`~lnl_mm.models.selection.clean_probability`, seeded by the
         run's seed, the epoch and the network). Both divisions are made
         before either network trains.
      2. *Co-divide*: net1 trains on net2's division, then net2 on net1's
         (co-guessing with the just-updated net1): the labelled set is the
         samples with clean probability ``> p_threshold``, the unlabelled
         set the rest; each a shuffled loader of ``ssl_batch_size``; one
         epoch of a network is a pass over its labelled loader, the
         unlabelled loader cycled (``stage='ssl'``). The ramp of
         :math:`\\lambda_u` reads the fractional epoch after the warm-up,
         with the official ``|L| // batch + 1`` steps per epoch.

    The division is logged each epoch against the clean labels (a
    diagnostic only: the size of the labelled set, how many wrong labels it
    holds, precision, recall and AUC), as scalars
    (``train/division_<stat>_<net>``) and in
    ``<work_dir>/division.json``, drawn in ``<work_dir>/plots/division.png``.
    A resumed run keeps the file's earlier
    epochs. Under DDP the passes are split over the ranks and gathered, so
    every rank fits the same mixture.

    Args:
        runner (Runner): The runner.
        dataloader (DataLoader | dict): The training dataloader (warm-up
            batch size; its pipeline must add the second view).
        max_epochs (int): Training epochs.
        warmup_epochs (int): Official: 10 (CIFAR-10), 30 (CIFAR-100).
            Defaults to 10.
        p_threshold (float): :math:`\\tau` in ``(0, 1)``; official 0.5, 0.6
            at 90 % noise. Defaults to 0.5.
        ssl_batch_size (int, optional): Batch size of the labelled and the
            unlabelled loaders; half the training batch size by default
            (official: 64 and 128).
        eval_batch_size (int, optional): Batch size of the division pass.
        gmm_seed (int, optional): Seed of the mixtures; the run's seed by
            default (read when fitting, so a resumed run uses the
            checkpoint's).
        **kwargs: Other arguments of :class:`EpochBasedTrainLoop`.
    """

    def __init__(self,
                 runner,
                 dataloader: Union[DataLoader, Dict],
                 max_epochs: int,
                 warmup_epochs: int = 10,
                 p_threshold: float = 0.5,
                 ssl_batch_size: Optional[int] = None,
                 eval_batch_size: Optional[int] = None,
                 gmm_seed: Optional[int] = None,
                 **kwargs):
        super().__init__(runner, dataloader, max_epochs, **kwargs)
        if not isinstance(self.model, DivideMixClassifier):
            raise TypeError('DivideMixTrainLoop trains DivideMixClassifier, '
                            f'got {type(self.model).__name__}')
        if not isinstance(warmup_epochs, int) or warmup_epochs < 0:
            raise ValueError('warmup_epochs must be an int >= 0, got '
                             f'warmup_epochs={warmup_epochs!r}')
        if isinstance(p_threshold, bool) or not isinstance(
                p_threshold, (int, float)) or not 0 < p_threshold < 1:
            raise ValueError('p_threshold must be a number in (0, 1), got '
                             f'p_threshold={p_threshold!r}')
        if ssl_batch_size is None:
            ssl_batch_size = max(self.dataloader.batch_size // 2, 1)
        if isinstance(ssl_batch_size, bool) or not isinstance(
                ssl_batch_size, int) or ssl_batch_size < 1:
            raise ValueError('ssl_batch_size must be an int >= 1, got '
                             f'ssl_batch_size={ssl_batch_size!r}')
        refuse_iteration_schedules(
            runner.cfg.get('param_scheduler'), 'DivideMixTrainLoop',
            'two passes in the warm-up and a variable number of steps '
            'afterwards')
        self.warmup_epochs = warmup_epochs
        self.p_threshold = float(p_threshold)
        self.ssl_batch_size = ssl_batch_size
        #: None: the run's seed, read when a mixture is fitted (a resumed
        #: run's seed is the checkpoint's).
        self.gmm_seed = gmm_seed
        noisy = find_noisy_dataset(self.dataloader.dataset)
        self.given = np.asarray(self.model.store.given.cpu())
        self.clean = None if noisy is None else np.asarray(noisy.clean_labels)
        eval_cfg = copy.deepcopy(runner.cfg.train_dataloader.dataset)
        use_test_pipeline(eval_cfg, runner.cfg)
        self.eval_loader = dataset_loader(
            self.dataloader, eval_batch_size, dataset=DATASETS.build(eval_cfg))
        self.history: List[dict] = []

    # -- division ----------------------------------------------------------
    def _seed(self, net: int) -> int:
        seed = self.runner.seed if self.gmm_seed is None else self.gmm_seed
        return int(
            np.random.SeedSequence([int(seed), self._epoch,
                                    net]).generate_state(1)[0])

    def divide(self) -> List[np.ndarray]:
        """Both networks' clean probabilities (written to the store)."""
        # the ranks' BatchNorm statistics moved apart in the last steps:
        # every rank predicts with rank 0's, as one process would
        broadcast_coalesced(b for net in self.model.nets
                            for b in net.buffers())
        probs = []
        for k, net in enumerate(self.model.nets):
            idx, logits = predict_logits(
                net,
                self.eval_loader,
                progress=f'Division pass {NETS[k]} (epoch {self._epoch + 1})')
            if not np.array_equal(idx, np.arange(self.given.size)):
                raise RuntimeError(
                    f'The division pass saw sample_idx {idx.min()}..'
                    f'{idx.max()} ({idx.size} samples) for a training set of '
                    f'{self.given.size}: the training set must be a '
                    'NoisyLabelDataset (sample_idx = position)')
            losses = F.cross_entropy(
                torch.from_numpy(logits),
                torch.from_numpy(self.given),
                reduction='none').numpy()
            mixture_input = self.model.push_losses(k,
                                                   min_max_normalize(losses))
            probs.append(clean_probability(mixture_input, self._seed(k)))
        for k, prob in enumerate(probs):
            self.model.set_clean_prob(k, prob)
        self._log_division(probs)
        return probs

    def _log_division(self, probs: List[np.ndarray]) -> None:
        entry = dict(epoch=self._epoch + 1)
        text = []
        for k, prob in enumerate(probs):
            labeled = int((prob > self.p_threshold).sum())
            part = f'{NETS[k]}: {labeled} labelled'
            entry[NETS[k]] = dict(labeled=labeled)
            if self.clean is not None:
                stats = division_stats(prob, self.p_threshold,
                                       self.given == self.clean)
                entry[NETS[k]] = stats
                for key in ('precision', 'recall', 'auc'):
                    self.runner.message_hub.update_scalar(
                        f'train/division_{key}_{NETS[k]}', stats[key])
                part += (f' ({stats["noisy_in_labeled"]} with a wrong label; '
                         f'precision {stats["precision"]:.2f}, recall '
                         f'{stats["recall"]:.2f}, AUC {stats["auc"]:.2f})')
            text.append(part)
        note = ' (clean labels, diagnostic)' if self.clean is not None else ''
        log_info(f'Division (epoch {self._epoch + 1}, p_threshold='
                 f'{self.p_threshold}){note}: ' + '; '.join(text))
        if not is_main_process():
            return  # the history file is the main process's
        self.history = [
            h for h in self._saved_history() if h['epoch'] < entry['epoch']
        ] + [entry]
        tmp = self._history_path() + '.tmp'
        with open(tmp, 'w') as f:
            json.dump(self.history, f, indent=2)
        os.replace(tmp, self._history_path())
        plot_dir = osp.join(self.runner.work_dir, 'plots')
        os.makedirs(plot_dir, exist_ok=True)
        plot_division(self.history, osp.join(plot_dir, 'division.png'))

    def _history_path(self) -> str:
        return osp.join(self.runner.work_dir, DIVISION_NAME)

    def _saved_history(self) -> List[dict]:
        if self.history:
            return self.history
        if osp.isfile(self._history_path()):  # a resumed run
            with open(self._history_path()) as f:
                return json.load(f)
        return []

    # -- epochs --------------------------------------------------------------
    def run_epoch(self) -> None:
        self.start_epoch()
        self.runner.call_hook('before_train_epoch')
        self.runner.model.train()
        if self._epoch < self.warmup_epochs:
            self._warmup_epoch()
        else:
            self._drop_warmup_scalars()
            probs = self.divide()
            for k in (0, 1):
                self._ssl_pass(k, probs[1 - k])
        self.runner.call_hook('after_train_epoch')
        self._epoch += 1
        self.stage = None

    def _drop_warmup_scalars(self) -> None:
        """Forget the warm-up's logged losses, so that the log lines of
        the semi-supervised epochs do not repeat their last values."""
        scalars = self.runner.message_hub.log_scalars
        for key in [k for k in scalars if k.startswith(WARMUP_SCALARS)]:
            scalars.pop(key)

    def _warmup_epoch(self) -> None:
        self.network_passes('warmup')

    def _ssl_loader(self, indices: np.ndarray, k: int, wrap: int,
                    cycled: bool):
        """A shuffled loader of ``indices``. A last batch of one sample is
        dropped (BatchNorm cannot normalise a single sample in training
        mode); the cycled unlabelled loader drops any incomplete last batch
        unless it has no full one."""
        per_rank = -(-indices.size // get_world_size())
        rest = per_rank % self.ssl_batch_size
        drop = rest == 1 or (cycled and rest > 0
                             and per_rank > self.ssl_batch_size)
        loader = dataset_loader(
            self.dataloader,
            self.ssl_batch_size,
            dataset=Subset(self.dataloader.dataset, indices.tolist()),
            shuffle=True,
            seed=self.runner.seed,
            drop_last=drop)
        # a function of (epoch, network, wrap): the same after a resume
        loader.sampler.set_epoch((self._epoch * 2 + k) * 10_000 + wrap)
        return loader

    def _ssl_pass(self, k: int, peer_prob: np.ndarray) -> None:
        """Network ``k``'s epoch on the division of its peer."""
        self.stage = 'ssl'
        labeled = np.flatnonzero(peer_prob > self.p_threshold)
        unlabeled = np.flatnonzero(peer_prob <= self.p_threshold)
        world = get_world_size()
        if -(-labeled.size // world) < 2:  # fewer than 2 per rank
            print_log(
                f'DivideMix: the division of {NETS[1 - k]} labels fewer '
                f'than 2 samples (epoch {self._epoch + 1}); {NETS[k]} skips '
                'this epoch',
                'current',
                level=logging.WARNING)
            return
        lab_loader = self._ssl_loader(labeled, k, 0, cycled=False)
        unl_loader = self._ssl_loader(unlabeled, k, 1, cycled=True) \
            if -(-unlabeled.size // world) > 1 else None
        unl_iter, wraps = (iter(unl_loader) if unl_loader else None), 1
        if len(lab_loader) == 0:
            raise RuntimeError(
                f'DivideMix: the labelled loader of {NETS[k]} is empty '
                f'({labeled.size} samples, ssl_batch_size='
                f'{self.ssl_batch_size}, {world} rank(s))')
        # the official steps per epoch of the ramp: |L| // batch + 1
        num_iter = labeled.size // (self.ssl_batch_size * get_world_size()) + 1
        for idx, batch in enumerate(lab_loader):
            unl = None
            if unl_iter is not None:
                try:
                    unl = next(unl_iter)
                except StopIteration:
                    wraps += 2
                    unl_iter = iter(
                        self._ssl_loader(unlabeled, k, wraps, cycled=True))
                    unl = next(unl_iter)
            progress = self._epoch + idx / num_iter - self.warmup_epochs
            self._run(
                idx, batch,
                dict(
                    stage='ssl',
                    net=k,
                    labeled=batch,
                    unlabeled=unl,
                    rampup_progress=progress))
