# Copyright (c) lnl_mm contributors. All rights reserved.
"""The epoch loop of the two-network methods."""
from typing import Dict, Union

import torch
from mmengine.model import is_model_wrapper
from mmengine.runner import EpochBasedTrainLoop
from mmpretrain.registry import LOOPS
from torch.utils.data import DataLoader

from lnl_mm.datasets.wrappers import given_labels
from lnl_mm.models.classifiers import TwoNetworkClassifier
from .meta_train_loop import check_no_accumulation


@LOOPS.register_module()
class TwoNetworkTrainLoop(EpochBasedTrainLoop):
    """:class:`EpochBasedTrainLoop` for a
    :class:`~lnl_mm.models.TwoNetworkClassifier` (Co-teaching,
    Co-teaching+, JoCoR).

    Before training (and before a checkpoint is resumed) it sizes the
    model's per-sample store from the given labels of the training set; at
    the start of every epoch it tells the model the epoch
    (``model.start_epoch``: the forget-rate schedule). A model that is not a
    two-network classifier, or gradient accumulation (the methods step
    their optimizers themselves), is refused.

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
        check_no_accumulation(runner.cfg.get('optim_wrapper') or {})
        model.init_sample_state(
            torch.as_tensor(given_labels(self.dataloader.dataset)))
        #: The current pass (see the class doc).
        self.stage = None

    @property
    def model(self) -> TwoNetworkClassifier:
        """The classifier (inside a DDP wrapper)."""
        model = self.runner.model
        return model.module if is_model_wrapper(model) else model

    def run_epoch(self) -> None:
        self.model.start_epoch(self._epoch)
        super().run_epoch()
