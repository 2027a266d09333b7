# Copyright (c) lnl_mm contributors. All rights reserved.
"""An epoch-based train loop that hands every step a meta batch."""
import copy
import warnings
from typing import Dict, Iterator, Optional, Union

import torch
from mmengine.hooks import ParamSchedulerHook
from mmengine.runner import EpochBasedTrainLoop
from mmpretrain.registry import DATASETS, LOOPS
from torch.utils.data import DataLoader

from lnl_mm.datasets.wrappers import MetaSplitDataset, given_labels, image_keys
from lnl_mm.models.classifiers import BaseMetaClassifier
from ..utils.model import unwrap_model

#: Meta-loader epochs reserved per training epoch (see ``_meta_epoch``).
META_EPOCHS_PER_EPOCH = 10_000


@LOOPS.register_module()
class MetaEpochBasedTrainLoop(EpochBasedTrainLoop):
    """:class:`EpochBasedTrainLoop` with a second, "meta" dataloader.

    Every iteration calls ``model.train_step(dict(train=batch,
    meta=meta_batch), optim_wrapper)``; hooks still see the training batch
    alone. The meta loader is cycled without end. Its sampler's epoch is a
    function of the training epoch and of how often it wrapped within it,
    so the meta stream of a resumed run (resumed at an epoch boundary, as
    MMEngine does) equals the uninterrupted one.

    Before training (and before a checkpoint is resumed) the model's
    per-sample state is sized from the given labels of the training set
    (``model.init_sample_state``). A meta set that shares images with the
    noisy training set is refused (e.g. ``num_per_class`` overridden on one
    side of a :class:`~lnl_mm.datasets.MetaSplitDataset` only); one whose
    images also appear in the validation set is reported with a warning
    (test-set leakage, as the clean file of the ISIC reweighting seed).

    :attr:`stage` says what the current iteration is (``'meta'`` here;
    ``'warmup'``, ``'meta'`` or ``'finetune'`` in
    :class:`~lnl_mm.engine.DynamicLossTrainLoop`), for hooks that must tell
    a pass over the training set from an extra one
    (:func:`~lnl_mm.engine.utils.loop_stage`).

    Args:
        runner (Runner): The runner.
        dataloader (DataLoader | dict): The training dataloader.
        max_epochs (int): Training epochs.
        meta_dataloader (DataLoader | dict): The meta dataloader (a clean
            meta split, or a separate annotation file).
        **kwargs: Other arguments of :class:`EpochBasedTrainLoop`.
    """

    #: Subclasses that build their meta loader themselves set False.
    needs_meta_dataloader = True

    def __init__(self,
                 runner,
                 dataloader: Union[DataLoader, Dict],
                 max_epochs: int,
                 meta_dataloader: Optional[Union[DataLoader, Dict]] = None,
                 **kwargs):
        super().__init__(runner, dataloader, max_epochs, **kwargs)
        if meta_dataloader is None and self.needs_meta_dataloader:
            raise ValueError(
                'MetaEpochBasedTrainLoop needs train_cfg.meta_dataloader '
                '(a dataloader of the clean meta set)')
        if isinstance(meta_dataloader, dict):
            meta_dataloader = runner.build_dataloader(
                meta_dataloader, seed=runner.seed)
        self.meta_dataloader = meta_dataloader
        if meta_dataloader is not None and len(meta_dataloader) == 0:
            raise ValueError('train_cfg.meta_dataloader yields no batch '
                             '(empty meta set, or drop_last with a batch '
                             'larger than the set)')
        self._meta_iter: Optional[Iterator] = None
        self._meta_wraps = 0
        #: The stage of the current iteration (see the class doc).
        self.stage: Optional[str] = None
        model = unwrap_model(runner.model)
        if not isinstance(model, BaseMetaClassifier):
            raise TypeError(
                f'MetaEpochBasedTrainLoop trains meta-learning classifiers '
                f'(L2RWClassifier, MetaWeightNetClassifier, ...), got '
                f'{type(model).__name__}')
        check_no_accumulation(runner.cfg.get('optim_wrapper') or {})
        model.init_sample_state(
            torch.as_tensor(given_labels(self.dataloader.dataset)))
        self._check_overlap(runner)

    # -- meta stream -----------------------------------------------------
    def _meta_epoch(self) -> int:
        return self._epoch * META_EPOCHS_PER_EPOCH + self._meta_wraps

    def _restart_meta(self) -> None:
        sampler = getattr(self.meta_dataloader, 'sampler', None)
        if hasattr(sampler, 'set_epoch'):
            sampler.set_epoch(self._meta_epoch())
        self._meta_iter = iter(self.meta_dataloader)

    def next_meta_batch(self):
        """The next meta batch, restarting the loader when it runs out."""
        if self._meta_iter is None:
            self._restart_meta()
        try:
            return next(self._meta_iter)
        except StopIteration:
            self._meta_wraps += 1
            self._restart_meta()
            return next(self._meta_iter)

    def run_epoch(self) -> None:
        self._meta_wraps = 0
        self._meta_iter = None
        model = unwrap_model(self.runner.model)
        if callable(getattr(model, 'start_epoch', None)):
            model.start_epoch()
        super().run_epoch()
        self.stage = None

    def run_iter(self, idx, data_batch, stage: str = None) -> dict:
        """One step; ``stage`` is passed to the model when given, and a meta
        batch comes along unless the stage is not ``'meta'``. Returns the
        step's outputs."""
        self.stage = stage or 'meta'
        self.runner.call_hook(
            'before_train_iter', batch_idx=idx, data_batch=data_batch)
        data = dict(train=data_batch)
        if stage is not None:
            data['stage'] = stage
        if stage in (None, 'meta'):
            data['meta'] = self.next_meta_batch()
        outputs = self.runner.model.train_step(
            data, optim_wrapper=self.runner.optim_wrapper)
        self._after_train_iter(
            batch_idx=idx, data_batch=data_batch, outputs=outputs)
        self._iter += 1
        return outputs

    def _after_train_iter(self, **kwargs) -> None:
        """``after_train_iter`` of every hook; during Dynamic Loss's
        fine-tune pass not of the parameter schedulers, whose iteration-based
        schedules (the converted LR warm-up) count training iterations
        only, as the epoch-based ones count training epochs."""
        if self.stage != 'finetune':
            self.runner.call_hook('after_train_iter', **kwargs)
            return
        for hook in self.runner.hooks:
            if not isinstance(hook, ParamSchedulerHook):
                hook.after_train_iter(self.runner, **kwargs)

    # -- checks ----------------------------------------------------------
    def _check_overlap(self, runner) -> None:
        if self.meta_dataloader is None:
            return
        meta = self.meta_dataloader.dataset
        meta_keys = image_keys(meta)
        train_shared = meta_keys & image_keys(self.dataloader.dataset)
        if train_shared:
            raise ValueError(
                f'train_cfg.meta_dataloader: {len(train_shared)} of the '
                f'{len(meta_keys)} meta images are also in the noisy '
                'training set; the meta set must be clean and disjoint from '
                'it. Build both sides from the same MetaSplitDataset '
                'settings (meta: ' + _split_settings(meta) + ', train: ' +
                _split_settings(self.dataloader.dataset) + ')')
        val_loader = getattr(runner, '_val_dataloader', None)
        if val_loader is None:
            return
        val_dataset = val_loader.dataset if hasattr(
            val_loader, 'dataset') else val_loader.get('dataset')
        if isinstance(val_dataset, dict):
            val_dataset = DATASETS.build(copy.deepcopy(val_dataset))
        shared = meta_keys & image_keys(val_dataset)
        if shared:
            example = sorted(map(str, shared))[0]
            warnings.warn(
                f'{len(shared)} of the {len(meta_keys)} meta images are '
                f'also in the validation set (e.g. {example}): the reported '
                'accuracy is not clean of the meta set')


#: Who steps the optimizers, for the message of check_no_accumulation.
STEPS = 'the bilevel step of the meta methods'


def check_no_accumulation(optim_wrapper: dict, steps: str = STEPS) -> None:
    """Refuse gradient accumulation in ``optim_wrapper`` (the config):
    ``steps`` (named in the message) update the model at every
    iteration."""
    subs = [(f'optim_wrapper.{k}', v) for k, v in optim_wrapper.items()
            if isinstance(v, dict) and 'optimizer' in v]
    for name, ow in [('optim_wrapper', optim_wrapper), *subs]:
        counts = ow.get('accumulative_counts', 1)
        if counts != 1:
            raise ValueError(
                f'{name}.accumulative_counts={counts}: gradient accumulation '
                f'is not supported by {steps}')


def _split_settings(dataset) -> str:
    """``num_per_class`` / ``seed`` / ``split`` of the first
    MetaSplitDataset inside ``dataset``, for error messages."""
    while dataset is not None:
        if isinstance(dataset, MetaSplitDataset):
            return (f'split={dataset.split!r}, num_per_class='
                    f'{dataset.num_per_class}, seed={dataset.seed}')
        dataset = getattr(dataset, 'dataset', None)
    return 'no MetaSplitDataset'
