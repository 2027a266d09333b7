# Copyright (c) lnl_mm contributors. All rights reserved.
"""The epoch loop of the two-network methods."""
import random
from typing import Dict, Union

import numpy as np
import torch
from mmengine.dist import get_rank
from mmengine.runner import EpochBasedTrainLoop
from mmpretrain.registry import LOOPS
from torch.utils.data import DataLoader

from lnl_mm.datasets.wrappers import given_labels
from lnl_mm.models.classifiers import TwoNetworkClassifier
from lnl_mm.models.classifiers.two_network_classifier import NETS
from ..utils.model import unwrap_model
from .meta_train_loop import check_no_accumulation


def refuse_iteration_schedules(schedulers, loop: str, epoch: str) -> None:
    """Refuse iteration-based parameter schedulers for a loop whose epochs
    (``epoch`` says what they hold) do not have the iteration count that
    MMEngine derives from the dataloader."""
    if isinstance(schedulers, dict) and 'type' not in schedulers:
        schedulers = [s for v in schedulers.values() for s in v]
    for s in (schedulers if isinstance(schedulers, list) else
              [schedulers] if schedulers else []):
        if s.get('by_epoch', True) is False or s.get('convert_to_iter_based'):
            raise ValueError(
                f'{loop}: the parameter scheduler {s.get("type")} is '
                'iteration-based (by_epoch=False or convert_to_iter_based); '
                f'an epoch has {epoch}, and every iteration would step both '
                "networks' schedules: use epoch-based schedules")


@LOOPS.register_module()
class TwoNetworkTrainLoop(EpochBasedTrainLoop):
    """:class:`EpochBasedTrainLoop` for a
    :class:`~lnl_mm.models.TwoNetworkClassifier` (Co-teaching,
    Co-teaching+, JoCoR, ELR+).

    Before training (and before a checkpoint is resumed) it sizes the
    model's per-sample store from the given labels of the training set; at
    the start of every epoch it tells the model the epoch
    (``model.start_epoch``: the forget-rate schedule) and seeds the global
    random states from the run's seed and the epoch, so that a resumed run
    augments its epochs as the uninterrupted one (:meth:`start_epoch`). A
    model that is not a two-network classifier, or gradient accumulation
    (the methods step their optimizers themselves), is refused.

    An epoch is one pass over the training set in which every step trains
    both networks on the same batch (Co-teaching, Co-teaching+, JoCoR), or,
    for a model with ``sequential_passes`` (ELR+), two passes, each with its
    own shuffle: net1's whole epoch, then net2's (:meth:`network_passes`;
    the steps get ``dict(stage=..., net=0|1, train=batch)``), as the
    official code trains them.

    :attr:`stage` names the current pass for hooks
    (:func:`~lnl_mm.engine.utils.loop_stage`): ``None`` for a joint pass,
    ``'train'`` and ``'train_peer'`` for the two sequential passes;
    ``'warmup'``, ``'warmup_peer'`` or ``'ssl'`` in
    :class:`~lnl_mm.engine.DivideMixTrainLoop`.

    Args:
        runner (Runner): The runner.
        dataloader (DataLoader | dict): The training dataloader.
        max_epochs (int): Training epochs.
        **kwargs: Other arguments of :class:`EpochBasedTrainLoop`.
    """

    def __init__(self, runner, dataloader: Union[DataLoader, Dict],
                 max_epochs: int, **kwargs):
        super().__init__(runner, dataloader, max_epochs, **kwargs)
        model = self.model
        if not isinstance(model, TwoNetworkClassifier):
            raise TypeError(
                f'{type(self).__name__} trains two-network classifiers '
                '(CoTeachingClassifier, CoTeachingPlusClassifier, '
                'JoCoRClassifier, DivideMixClassifier, ELRPlusClassifier), '
                'got '
                f'{type(model).__name__}: use the default train loop for a '
                'single network')
        check_no_accumulation(
            runner.cfg.get('optim_wrapper') or {},
            f'{type(model).__name__}, which steps its optimizers itself')
        model.init_sample_state(
            torch.as_tensor(given_labels(self.dataloader.dataset)))
        if model.sequential_passes:
            refuse_iteration_schedules(
                runner.cfg.get('param_scheduler'),
                type(self).__name__, f'two passes for {type(model).__name__}')
            self._max_iters = 2 * self._max_iters  # the ETA counts both
        #: The current pass (see the class doc).
        self.stage = None

    @property
    def model(self) -> TwoNetworkClassifier:
        """The classifier (inside a DDP wrapper)."""
        return unwrap_model(self.runner.model)

    def start_epoch(self) -> None:
        """Tell the model its epoch and seed the global random states
        (``random``, NumPy, torch) from the run's seed, the epoch and the
        rank (each rank augments its samples differently): the
        training pipeline's augmentations (in the main process,
        ``num_workers=0``) of a resumed epoch equal the uninterrupted
        run's."""
        self.model.start_epoch(self._epoch)
        state = np.random.SeedSequence(
            [int(self.runner.seed), self._epoch,
             get_rank()]).generate_state(2)
        random.seed(int(state[0]))
        np.random.seed(int(state[0]))
        torch.manual_seed(int(state[1]))

    def run_epoch(self) -> None:
        self.start_epoch()
        if not self.model.sequential_passes:
            super().run_epoch()
            return
        self.runner.call_hook('before_train_epoch')
        self.runner.model.train()
        self.network_passes('train')
        self.runner.call_hook('after_train_epoch')
        self._epoch += 1
        self.stage = None

    def network_passes(self, stage: str) -> None:
        """Net1's pass over the training set, then net2's, each with its
        own shuffle (the sampler's epoch ``2 * epoch + k``); the stage is
        ``stage`` for net1's pass and ``stage + '_peer'`` for net2's."""
        scalars = self.runner.message_hub.log_scalars
        for k in (0, 1):
            self.stage = stage if k == 0 else f'{stage}_peer'
            # the other network's logged losses are not this pass's
            for key in [
                    key for key in scalars if key.startswith('train/')
                    and key.endswith(f'_{NETS[1 - k]}')
            ]:
                scalars.pop(key)
            sampler = self.dataloader.sampler
            if hasattr(sampler, 'set_epoch'):  # each network its shuffle
                sampler.set_epoch(2 * self._epoch + k)
            for idx, batch in enumerate(self.dataloader):
                self._run(idx, batch, dict(stage=stage, net=k, train=batch))

    def _run(self, idx: int, data_batch, data: dict) -> dict:
        """One step of the model on ``data``, between the iteration
        hooks."""
        self.runner.call_hook(
            'before_train_iter', batch_idx=idx, data_batch=data_batch)
        outputs = self.runner.model.train_step(
            data, optim_wrapper=self.runner.optim_wrapper)
        self.runner.call_hook(
            'after_train_iter',
            batch_idx=idx,
            data_batch=data_batch,
            outputs=outputs)
        self._iter += 1
        return outputs
