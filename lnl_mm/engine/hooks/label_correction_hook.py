# Copyright (c) lnl_mm contributors. All rights reserved.
"""SLN's label correction (LC), every epoch from a given epoch on."""
from typing import Optional

import torch
from mmengine.dist import get_world_size
from mmengine.hooks import Hook
from mmpretrain.registry import HOOKS
from mmpretrain.utils import get_ori_model

from ...datasets.wrappers import given_labels
from ...models.classifiers import SampleStoreClassifier
from ...models.utils import LC_MODES, sln_label_correction
from ..utils import dataset_loader, predict_logits
from .momentum_model_hook import MomentumModelHook

PREDICTORS = ('ema', 'raw')
LOSS_AGAINST = ('current', 'given')
#: Where lnl_mm 0.1 saved the targets (refused with a clear message).
OLD_STORE_KEY = 'label_store'


@HOOKS.register_module()
class SLNLabelCorrectionHook(Hook):
    """Label correction of SLN-MO-LC: triggers the model's correction.

    `Noise against noise <https://openreview.net/forum?id=80FMcTSZ6J0>`_

    Before every training epoch from ``correction_epoch`` on (the official
    ``--correction``: 250 of 300 epochs on CIFAR, so the first correction
    precedes the 251st epoch), the hook

    1. sets the loss's ``sigma`` to 0 (``SLNLoss``; a loss without
       ``sigma`` is left alone);
    2. predicts the whole training set with the momentum model
       (:class:`MomentumModelHook`) in eval mode, through the *training*
       pipeline as the official code does;
    3. replaces every target by
       :func:`~lnl_mm.models.utils.sln_label_correction` of the predictions
       (``mode='hard'``: argmax, the CIFAR setting; ``'soft'``:
       probabilities, the Clothing1M setting), with per-sample losses taken
       against the current targets (``loss_against='current'``, CIFAR) or
       the given labels (``'given'``, Clothing1M).

    The targets live in the model's
    :class:`~lnl_mm.models.utils.SampleStore` (the model is a
    :class:`~lnl_mm.models.SampleStoreClassifier`), indexed by
    ``sample_idx``; once a correction has written them, the model trains on
    them. The hook sizes the store before a checkpoint is loaded and only
    triggers corrections. Every rank predicts its share, the shares are
    gathered and every rank writes the same targets; the store's checksum
    is compared across ranks after every correction. The store is part of
    the model's state dict, so checkpoints carry it.

    Args:
        correction_epoch (int): Epochs trained before the first correction;
            a value ``>= max_epochs`` disables correction. Required.
        mode (str): ``'hard'`` or ``'soft'``. Defaults to ``'hard'``.
        predictor (str): ``'ema'`` (the momentum model; needs a
            :class:`MomentumModelHook`) or ``'raw'`` (the trained model).
            Defaults to ``'ema'``.
        loss_against (str): ``'current'`` or ``'given'``.
            Defaults to ``'current'``.
        batch_size (int, optional): Batch size of the prediction pass.
            Defaults to None (the training batch size).
        zero_sigma (bool): Set the loss's ``sigma`` to 0 while correcting.
            Defaults to True.
    """

    priority = 'NORMAL'

    def __init__(self,
                 correction_epoch: int,
                 mode: str = 'hard',
                 predictor: str = 'ema',
                 loss_against: str = 'current',
                 batch_size: Optional[int] = None,
                 zero_sigma: bool = True):
        if not isinstance(correction_epoch, int) or correction_epoch < 0:
            raise ValueError('correction_epoch must be an int >= 0, got '
                             f'correction_epoch={correction_epoch!r}')
        for name, value, valid in (('mode', mode, LC_MODES),
                                   ('predictor', predictor,
                                    PREDICTORS), ('loss_against', loss_against,
                                                  LOSS_AGAINST)):
            if value not in valid:
                raise ValueError(f'{name} must be one of {valid}, got '
                                 f'{name}={value!r}')
        if batch_size is not None and (not isinstance(batch_size, int)
                                       or batch_size < 1):
            raise ValueError('batch_size must be a positive int or None, '
                             f'got batch_size={batch_size!r}')
        self.correction_epoch = correction_epoch
        self.mode = mode
        self.predictor = predictor
        self.loss_against = loss_against
        self.batch_size = batch_size
        self.zero_sigma = zero_sigma
        self._owner: Optional[SampleStoreClassifier] = None

    # -- set-up ------------------------------------------------------------
    @staticmethod
    def _model(runner) -> SampleStoreClassifier:
        model = get_ori_model(runner.model)
        if not isinstance(model, SampleStoreClassifier):
            raise TypeError(
                'SLNLabelCorrectionHook writes the targets of a '
                "SampleStoreClassifier: set model=dict(type="
                f"'SampleStoreClassifier', ...), got {type(model).__name__}")
        return model

    def before_run(self, runner) -> None:
        """Size the model's store from the training set (before a resume
        loads it), and check the predictor exists.

        Args:
            runner (Runner): The runner.
        """
        model = self._owner = self._model(runner)
        # Indexed by the noisy wrapper's sample_idx, which subsets
        # (HoldoutSplitDataset) and repetitions keep.
        model.init_sample_state(given_labels(runner.train_dataloader.dataset))

    def before_train(self, runner) -> None:
        """Check the predictor exists.

        Args:
            runner (Runner): The runner.
        """
        if self.predictor == 'ema':
            self._ema_module(runner)

    @property
    def active(self) -> bool:
        """Whether a correction has written the model's targets (restored
        with them on resume)."""
        return self._owner is not None and self._owner.uses_stored_targets

    def _ema_module(self, runner) -> torch.nn.Module:
        for hook in runner.hooks:
            if isinstance(hook, MomentumModelHook):
                return hook.ema_model.module
        raise RuntimeError(
            "SLNLabelCorrectionHook(predictor='ema') needs a "
            "MomentumModelHook in custom_hooks (or set predictor='raw')")

    # -- correction --------------------------------------------------------
    def before_train_epoch(self, runner) -> None:
        """Correct the labels if this epoch is at or after the start.

        Args:
            runner (Runner): The runner.
        """
        if runner.epoch < self.correction_epoch:
            return
        if self.zero_sigma:
            loss = getattr(
                get_ori_model(runner.model).head, 'loss_module', None)
            if hasattr(loss, 'sigma') and loss.sigma != 0:
                runner.logger.info('Label correction starts: sigma 0.')
                loss.sigma = 0.0
        self.correct(runner)

    def correct(self, runner) -> None:
        """Run one correction pass over the training set.

        Args:
            runner (Runner): The runner.
        """
        owner = self._model(runner)
        store = owner.store
        model = (
            self._ema_module(runner) if self.predictor == 'ema' else owner)
        idx, logits = predict_logits(
            model,
            dataset_loader(runner.train_dataloader, self.batch_size),
            progress=f'Label correction pass (epoch {runner.epoch + 1})')
        if idx.size == 0 or idx[-1] >= len(store):
            raise RuntimeError(
                f'SLNLabelCorrectionHook: predicted sample_idx up to '
                f'{idx.max() if idx.size else None} for a store of '
                f'{len(store)}')
        # The training set may be a subset of the store (a HoldoutSplit of
        # the noisy set): the min-max runs over the samples trained on.
        given = store.given[idx].cpu()
        num_classes = owner.head.num_classes
        current = (
            store.get('targets', idx).cpu() if self.loss_against == 'current'
            else torch.nn.functional.one_hot(given, num_classes).float())
        new, weight = sln_label_correction(
            torch.from_numpy(logits), current, given, self.mode)
        owner.set_targets(idx, new)
        digest = store.check_ranks()
        if get_world_size() > 1:
            runner.logger.info(f'Sample store {digest[:12]} identical on all '
                               f'{get_world_size()} ranks.')
        changed = (new.argmax(1) != given).float().mean().item()
        runner.logger.info(
            f'Label correction (epoch {runner.epoch + 1}, {self.mode}): '
            f'{len(idx)} targets, mean weight on the given label '
            f'{float(weight.mean()):.4f}, argmax differs from it for '
            f'{100 * changed:.2f} %.')
        runner.message_hub.update_scalar('train/lc_given_weight',
                                         float(weight.mean()))

    # -- checkpoints -------------------------------------------------------
    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        """Refuse a checkpoint of the old layout (targets outside the model).

        Args:
            runner (Runner): The runner.
            checkpoint (dict): The loaded checkpoint.
        """
        if OLD_STORE_KEY in checkpoint:
            raise ValueError(
                'this checkpoint keeps SLN\'s corrected targets under '
                f'"{OLD_STORE_KEY}", the layout of lnl_mm 0.1; lnl_mm 0.2 '
                "keeps them in the model's SampleStore and cannot load it: "
                'retrain with this version')
