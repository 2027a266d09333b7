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
from ..utils.model import unwrap_model
from .meta_train_loop import check_no_accumulation


@LOOPS.register_module()
class TwoNetworkTrainLoop(EpochBasedTrainLoop):
    """:class:`EpochBasedTrainLoop` for a
    :class:`~lnl_mm.models.TwoNetworkClassifier` (Co-teaching,
    Co-teaching+, JoCoR).

    Before training (and before a checkpoint is resumed) it sizes the
    model's per-sample store from the given labels of the training set; at
    the start of every epoch it tells the model the epoch
    (``model.start_epoch``: the forget-rate schedule) and seeds the global
    random states from the run's seed and the epoch, so that a resumed run
    augments its epochs as the uninterrupted one (:meth:`start_epoch`). A
    model that is not a two-network classifier, or gradient accumulation
    (the methods step their optimizers themselves), is refused.

    :attr:`stage` names the current pass for hooks
    (:func:`~lnl_mm.engine.utils.loop_stage`): ``None`` here; ``'warmup'``,
    ``'warmup_peer'`` or ``'ssl'`` in
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
                'JoCoRClassifier, DivideMixClassifier), got '
                f'{type(model).__name__}: use the default train loop for a '
                'single network')
        check_no_accumulation(
            runner.cfg.get('optim_wrapper') or {},
            f'{type(model).__name__}, which steps its optimizers itself')
        model.init_sample_state(
            torch.as_tensor(given_labels(self.dataloader.dataset)))
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
        super().run_epoch()
