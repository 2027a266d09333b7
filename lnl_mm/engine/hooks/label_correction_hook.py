# Copyright (c) lnl_mm contributors. All rights reserved.
"""SLN's label correction (LC), every epoch from a given epoch on."""
from typing import Optional

import torch
from mmengine.dist import all_gather_object, get_world_size
from mmengine.hooks import Hook
from mmpretrain.registry import HOOKS
from mmpretrain.utils import get_ori_model

from ...datasets.wrappers import find_noisy_dataset, given_labels
from ...models.utils import LC_MODES, LabelStore, sln_label_correction
from ..utils import dataset_loader, predict_logits

PREDICTORS = ('ema', 'raw')
LOSS_AGAINST = ('current', 'given')
STORE_KEY = 'label_store'


@HOOKS.register_module()
class SLNLabelCorrectionHook(Hook):
    """Label correction of SLN-MO-LC, with a checkpointed label store.

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

    The targets live in a :class:`~lnl_mm.models.utils.LabelStore` indexed
    by ``sample_idx``; once a correction has happened, every training batch
    gets its rows as ``gt_score`` (soft targets for the loss). Every rank
    predicts its share, the shares are gathered and every rank applies the
    same update; the hook checks that the store's checksum agrees on all
    ranks. The store is saved in checkpoints and restored on resume.

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
                                   ('predictor', predictor, PREDICTORS),
                                   ('loss_against', loss_against,
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
        self.store: Optional[LabelStore] = None

    # -- set-up ------------------------------------------------------------
    def _ensure_store(self, runner) -> LabelStore:
        if self.store is None:
            dataset = runner.train_dataloader.dataset
            # Indexed by the noisy wrapper's sample_idx, which subsets
            # (HoldoutSplitDataset) and repetitions keep.
            given = given_labels(dataset)
            noisy = find_noisy_dataset(dataset)
            if noisy is not None:
                num_classes = noisy.num_classes
            else:
                num_classes = len(dataset.metainfo.get('classes') or ())
                if num_classes < 2:
                    raise ValueError(
                        'SLNLabelCorrectionHook: the training set names no '
                        "classes (metainfo['classes']); wrap it in "
                        'NoisyLabelDataset(num_classes=...)')
            self.store = LabelStore(given, int(num_classes))
        return self.store

    def before_train(self, runner) -> None:
        """Create the store and check the predictor exists.

        Args:
            runner (Runner): The runner.
        """
        self._ensure_store(runner)
        if self.predictor == 'ema':
            self._ema_module(runner)

    @property
    def active(self) -> bool:
        """Whether a correction has happened (targets differ from one-hot)."""
        return self.store is not None and self.store.version > 0

    def _ema_module(self, runner) -> torch.nn.Module:
        for hook in runner.hooks:
            if hasattr(hook, 'ema_model'):
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
            loss = getattr(get_ori_model(runner.model).head, 'loss_module',
                           None)
            if hasattr(loss, 'sigma') and loss.sigma != 0:
                runner.logger.info('Label correction starts: sigma 0.')
                loss.sigma = 0.0
        self.correct(runner)

    def correct(self, runner) -> None:
        """Run one correction pass over the training set.

        Args:
            runner (Runner): The runner.
        """
        store = self._ensure_store(runner)
        model = (self._ema_module(runner) if self.predictor == 'ema' else
                 get_ori_model(runner.model))
        idx, logits = predict_logits(
            model, dataset_loader(runner.train_dataloader, self.batch_size))
        if idx.size == 0 or idx[-1] >= len(store):
            raise RuntimeError(
                f'SLNLabelCorrectionHook: predicted sample_idx up to '
                f'{idx.max() if idx.size else None} for a store of '
                f'{len(store)}')
        # The training set may be a subset of the store (a HoldoutSplit of
        # the noisy set): the min-max runs over the samples trained on.
        given = store.given[idx]
        current = (store.get(idx) if self.loss_against == 'current' else
                   torch.nn.functional.one_hot(given,
                                               store.num_classes).float())
        new, weight = sln_label_correction(
            torch.from_numpy(logits), current, given, self.mode)
        store.set(idx, new)
        self._check_ranks(runner, store)
        changed = (new.argmax(1) != given).float().mean().item()
        runner.logger.info(
            f'Label correction (epoch {runner.epoch + 1}, {self.mode}): '
            f'{len(idx)} targets, mean weight on the given label '
            f'{float(weight.mean()):.4f}, argmax differs from it for '
            f'{100 * changed:.2f} %.')
        runner.message_hub.update_scalar('train/lc_given_weight',
                                         float(weight.mean()))

    @staticmethod
    def _check_ranks(runner, store: LabelStore) -> None:
        if get_world_size() == 1:
            return
        sums = all_gather_object(store.checksum())
        if len(set(sums)) != 1:
            raise RuntimeError('SLNLabelCorrectionHook: the label stores of '
                               f'the ranks differ: {sums}')
        runner.logger.info(f'Label store {sums[0][:12]} identical on all '
                           f'{len(sums)} ranks.')

    # -- training batches --------------------------------------------------
    def before_train_iter(self, runner, batch_idx: int,
                          data_batch=None) -> None:
        """Give the batch its stored targets as ``gt_score``.

        Args:
            runner (Runner): The runner.
            batch_idx (int): Index of the batch.
            data_batch (dict, optional): The batch; modified in place.
        """
        if not self.active or data_batch is None:
            return
        samples = data_batch['data_samples']
        idx = [s.metainfo.get('sample_idx') for s in samples]
        if None in idx:
            raise KeyError('SLNLabelCorrectionHook: training samples carry no '
                           'sample_idx (use NoisyLabelDataset)')
        for sample, target in zip(samples, self.store.get(idx)):
            sample.set_gt_score(target)

    # -- checkpoints -------------------------------------------------------
    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        """Save the store.

        Args:
            runner (Runner): The runner.
            checkpoint (dict): The checkpoint being written.
        """
        if self.store is not None:
            checkpoint[STORE_KEY] = self.store.state_dict()

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        """Restore the store when resuming.

        Args:
            runner (Runner): The runner.
            checkpoint (dict): The loaded checkpoint.
        """
        if not getattr(runner, '_resume', False) or \
                STORE_KEY not in checkpoint:
            return
        self._ensure_store(runner).load_state_dict(checkpoint[STORE_KEY])
