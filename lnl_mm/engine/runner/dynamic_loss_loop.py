# Copyright (c) lnl_mm contributors. All rights reserved.
"""The epoch schedule of Dynamic Loss: ranks, a per-epoch meta set, warm-up
and fine-tuning."""
import copy
from typing import Dict, Union

import numpy as np
import torch
import torch.nn.functional as F
from mmengine.dist import all_reduce, get_world_size
from mmpretrain.registry import DATASETS, LOOPS
from torch.utils.data import DataLoader, Subset

from lnl_mm.datasets.samplers import ExcludeSampler
from lnl_mm.datasets.wrappers import find_noisy_dataset, given_labels
from lnl_mm.models.meta import loss_ranks
from lnl_mm.utils.log import log_info
from ..utils.config_utils import use_test_pipeline
from ..utils.model import unwrap_model
from ..utils.predict import dataset_loader, predict_logits
from .meta_train_loop import MetaEpochBasedTrainLoop


def hierarchical_meta_set(losses: np.ndarray,
                          labels: np.ndarray,
                          num_classes: int,
                          rng: np.random.Generator,
                          first_ratio: float = 0.5,
                          second_ratio: float = 0.5) -> np.ndarray:
    """Dynamic Loss's meta set, drawn from the noisy training set.

    Per (noisy) class, ``int(first_ratio * m)`` samples at random, ``m`` the
    smallest class count, then the ``int(first_ratio * m * second_ratio)``
    of them with the lowest loss: a class-balanced, probably clean set.

    Returns:
        np.ndarray: Sorted indices.
    """
    counts = np.bincount(labels, minlength=num_classes)
    present = counts[counts > 0]
    first = int(first_ratio * present.min())
    keep = int(first_ratio * present.min() * second_ratio)
    if keep < 1:
        raise ValueError(
            f'The smallest class has {present.min()} samples: the meta set '
            f'would have {keep} per class (first_ratio={first_ratio}, '
            f'second_ratio={second_ratio})')
    chosen = []
    for c in np.flatnonzero(counts):
        drawn = rng.choice(
            np.flatnonzero(labels == c), size=first, replace=False)
        chosen.append(drawn[np.argsort(losses[drawn], kind='stable')[:keep]])
    return np.sort(np.concatenate(chosen))


@LOOPS.register_module()
class DynamicLossTrainLoop(MetaEpochBasedTrainLoop):
    """Train loop of :class:`~lnl_mm.models.DynamicLossClassifier`.

    Every epoch starts with a pass of the classifier (eval mode) over the
    training set with the test pipeline (the weak, un-augmented view); the
    loss against the given label ranks every sample within its noisy class
    (:func:`~lnl_mm.models.meta.loss_ranks`), and the ranks go to the
    model. Then

    * during the first ``warmup_epochs`` epochs: plain CE steps
      (``stage='warmup'``), which also teach the corrector the given labels;
    * afterwards: a meta set is drawn from the noisy training set
      (:func:`hierarchical_meta_set`, seeded by the run's seed and the
      epoch), removed from this epoch's training (the train sampler must be
      :class:`~lnl_mm.datasets.ExcludeSampler`), used as the meta batches of
      the bilevel steps (``stage='meta'``), and after the epoch the
      classifier is fine-tuned for one pass over it (``stage='finetune'``).

    Ranks are part of the model's state, the meta set is a function of the
    seed, the epoch and the model, so a resumed run continues exactly.

    ``random_ranks=True`` is the official ablation ``no_noise``: the ranks
    come from random numbers instead of the losses, so the meta set is a
    random class-balanced draw and the rank carries no information.

    When the training set is a :class:`~lnl_mm.datasets.NoisyLabelDataset`
    the loop also logs, as the official runner, the share of clean given
    labels at every rank (``Rank clean rates``) and the noise rate of the
    epoch's meta set (``meta_set_noise_rate``): diagnostics read from the
    clean labels, which no training step uses.

    Args:
        runner (Runner): The runner.
        dataloader (DataLoader | dict): Training dataloader (its sampler an
            ``ExcludeSampler``).
        max_epochs (int): Training epochs.
        warmup_epochs (int): Epochs of CE first. Defaults to 5.
        meta_batch_size (int, optional): Meta batch size; the training
            batch size by default.
        first_ratio (float): Random draw per class, as a fraction of the
            smallest class count. Defaults to 0.5.
        second_ratio (float): Lowest-loss fraction kept. Defaults to 0.5.
        finetune (bool): The pass over the meta set after each meta epoch.
            Defaults to True.
        rank_batch_size (int, optional): Batch size of the rank pass.
        random_ranks (bool): Rank by random numbers (official ``no_noise``).
            Defaults to False.
        **kwargs: Other arguments of :class:`EpochBasedTrainLoop`.
    """

    needs_meta_dataloader = False

    def __init__(self,
                 runner,
                 dataloader: Union[DataLoader, Dict],
                 max_epochs: int,
                 warmup_epochs: int = 5,
                 meta_batch_size: int = None,
                 first_ratio: float = 0.5,
                 second_ratio: float = 0.5,
                 finetune: bool = True,
                 rank_batch_size: int = None,
                 random_ranks: bool = False,
                 **kwargs):
        super().__init__(runner, dataloader, max_epochs, **kwargs)
        if not isinstance(self.dataloader.sampler, ExcludeSampler):
            raise TypeError(
                'DynamicLossTrainLoop removes the meta set from training: '
                "set train_dataloader.sampler=dict(type='ExcludeSampler')")
        for name, value in (('first_ratio', first_ratio), ('second_ratio',
                                                           second_ratio)):
            if not 0 < value <= 1:
                raise ValueError(f'{name} must be in (0, 1], got {value}')
        self.warmup_epochs = warmup_epochs
        self.meta_batch_size = meta_batch_size or self.dataloader.batch_size
        self.first_ratio = first_ratio
        self.second_ratio = second_ratio
        self.finetune = finetune
        if not isinstance(random_ranks, bool):
            raise TypeError(f'random_ranks must be a bool, got '
                            f'{random_ranks!r}')
        self.random_ranks = random_ranks
        self.given = given_labels(self.dataloader.dataset)
        noisy = find_noisy_dataset(self.dataloader.dataset)
        self.clean = None if noisy is None else np.asarray(noisy.clean_labels)
        self.num_classes = int(self._model().head.num_classes)
        weak_cfg = copy.deepcopy(runner.cfg.train_dataloader.dataset)
        use_test_pipeline(weak_cfg, runner.cfg)
        weak = DATASETS.build(weak_cfg)
        self.rank_loader = dataset_loader(
            self.dataloader, rank_batch_size, dataset=weak)
        self.meta_indices = np.zeros(0, dtype=np.int64)

    def _model(self):
        return unwrap_model(self.runner.model)

    def compute_ranks(self) -> np.ndarray:
        """Rank pass; sets the model's ranks and returns the losses."""
        model = self._model()
        idx, logits = predict_logits(
            model,
            self.rank_loader,
            progress=f'Rank pass (epoch {self._epoch + 1})')
        if idx.size != self.given.size:
            raise RuntimeError(f'The rank pass saw {idx.size} of '
                               f'{self.given.size} training samples')
        losses = F.cross_entropy(
            torch.from_numpy(logits),
            torch.from_numpy(self.given),
            reduction='none').numpy()
        if self.random_ranks:  # the same on every rank: a seeded draw
            losses = np.random.default_rng([self.runner.seed, self._epoch,
                                            1]).random(losses.size)
        ranks = loss_ranks(losses, self.given, self.num_classes,
                           model.rank_num)
        model.set_ranks(torch.from_numpy(idx), torch.from_numpy(ranks))
        if self.clean is not None:
            self._log_rank_clean_rates(ranks, model.rank_num)
        return losses

    def _log_rank_clean_rates(self, ranks: np.ndarray, rank_num: int) -> None:
        """Share of clean given labels per rank (diagnostic)."""
        clean = self.given == self.clean
        counts = np.bincount(ranks, minlength=rank_num)
        hits = np.bincount(ranks, weights=clean, minlength=rank_num)
        rates = np.divide(
            hits, counts, out=np.full(rank_num, np.nan), where=counts > 0)
        self.rank_clean_rates = rates
        shown = sorted(
            {*range(0, rank_num, max(rank_num // 10, 1)), rank_num - 1})
        log_info(f'Rank clean rates (epoch {self._epoch + 1}; clean labels, '
                 'diagnostic): ' + ', '.join(f'{r}: {rates[r]:.2f}'
                                             for r in shown))

    def _build_meta_loader(self, losses: np.ndarray) -> None:
        rng = np.random.default_rng([self.runner.seed, self._epoch])
        self.meta_indices = hierarchical_meta_set(losses, self.given,
                                                  self.num_classes, rng,
                                                  self.first_ratio,
                                                  self.second_ratio)
        text = (f'Meta set drawn (epoch {self._epoch + 1}): '
                f'{self.meta_indices.size} samples (hierarchical draw, '
                f'first_ratio={self.first_ratio}, '
                f'second_ratio={self.second_ratio})')
        if self.clean is not None:
            noise = float(
                np.mean(self.given[self.meta_indices] != self.clean[
                    self.meta_indices]))
            self.runner.message_hub.update_scalar('train/meta_set_noise_rate',
                                                  noise)
            text += f', noise rate {noise:.4f} (clean labels, diagnostic)'
        log_info(text)
        subset = Subset(self.dataloader.dataset, self.meta_indices.tolist())
        self.meta_dataloader = dataset_loader(
            self.dataloader,
            self.meta_batch_size,
            dataset=subset,
            shuffle=True,
            seed=self.runner.seed)

    def run_finetune(self) -> None:
        """One pass over the epoch's meta set, iteration by iteration
        (``stage='finetune'``): hooks see each step, the iteration counter
        counts it and the logger logs ``finetune_loss`` (the parameter
        schedulers do not step: their schedules count training iterations);
        a summary line gives the pass's mean loss over all ranks. Batch
        indices continue after the training pass's."""
        self.meta_dataloader.sampler.set_epoch(self._epoch)
        start = len(self.dataloader)
        total = torch.zeros(2, dtype=torch.float64)  # loss sum, batches
        for j, data_batch in enumerate(self.meta_dataloader):
            outputs = self.run_iter(start + j, data_batch, 'finetune')
            # Each rank's loss is its share of the global batch mean.
            total += torch.tensor([float(outputs['finetune_loss']), 1.])
        all_reduce(total, op='sum')
        batches = int(total[1]) // get_world_size()
        mean = float(total[0]) / batches if batches else float('nan')
        log_info(f'Fine-tune pass (epoch {self._epoch + 1}): {batches} '
                 f'batch(es) of the meta set, mean finetune_loss='
                 f'{mean:.4f}')

    def run_epoch(self) -> None:
        self._meta_wraps = 0
        self._meta_iter = None
        self.runner.call_hook('before_train_epoch')
        losses = self.compute_ranks()
        meta_epoch = self._epoch >= self.warmup_epochs
        if meta_epoch:
            self._build_meta_loader(losses)
            self.dataloader.sampler.exclude(self.meta_indices)
        else:
            self.dataloader.sampler.exclude([])
        self.runner.model.train()
        stage = 'meta' if meta_epoch else 'warmup'
        for idx, data_batch in enumerate(self.dataloader):
            self.run_iter(idx, data_batch, stage)
        if meta_epoch and self.finetune:
            self.run_finetune()
        self.runner.call_hook('after_train_epoch')
        self._epoch += 1
        self.stage = None
