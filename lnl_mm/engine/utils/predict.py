# Copyright (c) lnl_mm contributors. All rights reserved.
"""Predict a whole dataset on every rank (for per-sample corrections)."""
import time
from typing import Callable, Optional, Tuple

import numpy as np
import torch
from mmengine.dataset import DefaultSampler
from mmengine.dist import all_gather_object, get_world_size, is_main_process
from torch.utils.data import DataLoader

from ...utils.log import log_info


def dataset_loader(train_loader: DataLoader,
                   batch_size: Optional[int] = None,
                   dataset=None,
                   shuffle: bool = False,
                   seed: Optional[int] = None,
                   drop_last: bool = False) -> DataLoader:
    """A loader like ``train_loader`` over its dataset or over ``dataset``.

    Same collate function, workers and pinning; by default the training
    dataset (so the same pipeline: the training transform) in order, without
    shuffling. Under DDP every rank gets its share
    (:class:`~mmengine.dataset.DefaultSampler`, padded to equal sizes).

    Args:
        train_loader (DataLoader): The training loader to copy.
        batch_size (int, optional): Defaults to the training batch size.
        dataset (optional): Another dataset (e.g. the training set with the
            test pipeline, or a subset of it).
        shuffle (bool): Shuffle (seeded, per ``set_epoch``). Defaults to
            False.
        seed (int, optional): Shuffling seed.
        drop_last (bool): Drop the last, incomplete batch. Defaults to
            False.
    """
    dataset = train_loader.dataset if dataset is None else dataset
    return DataLoader(
        dataset,
        batch_size=batch_size or train_loader.batch_size,
        sampler=DefaultSampler(dataset, shuffle=shuffle, seed=seed),
        num_workers=train_loader.num_workers,
        collate_fn=train_loader.collate_fn,
        worker_init_fn=train_loader.worker_init_fn,
        pin_memory=train_loader.pin_memory,
        drop_last=drop_last)


def _classifier_logits(model, inputs):
    logits = model(inputs, mode='tensor')
    if isinstance(logits, (tuple, list)):
        logits = logits[-1]
    return logits


def _pre_logits(model, inputs):
    return model.extract_feat(inputs, stage='pre_logits')


class _Progress:
    """Log ``<what>: i/n batches (s, ETA s)`` at most every ``interval``
    seconds while a pass runs, and once at its end, from the main process
    (a pass over a training set can take minutes; a progress bar would
    clutter the log file)."""

    interval = 10.0

    def __init__(self,
                 what: Optional[str],
                 total: int,
                 emit: Optional[Callable[[str], None]] = None):
        self.what, self.total = what, total
        self.emit = emit or log_info
        self.start = self.last = time.time()

    def step(self, done: int) -> None:
        if self.what is None or not is_main_process():
            return
        now = time.time()
        if done < self.total and now - self.last < self.interval:
            return
        self.last = now
        elapsed = now - self.start
        if done == self.total:
            self.emit(f'{self.what}: {done}/{self.total} batches in '
                      f'{elapsed:.1f} s')
            return
        eta = elapsed / done * (self.total - done)
        self.emit(f'{self.what}: {done}/{self.total} batches '
                  f'({elapsed:.1f} s, ETA {eta:.1f} s)')


@torch.no_grad()
def _predict(model: torch.nn.Module,
             loader: DataLoader,
             forward: Callable,
             progress: Optional[str] = None,
             emit: Optional[Callable] = None) -> Tuple[np.ndarray, np.ndarray]:
    was_training = model.training
    model.eval()
    idx_parts, out_parts = [], []
    bar = _Progress(progress, len(loader), emit)
    try:
        for i, data_batch in enumerate(loader, 1):
            samples = data_batch['data_samples']
            idx = [s.metainfo.get('sample_idx') for s in samples]
            if None in idx:
                raise KeyError('predict: the data samples carry no '
                               'sample_idx (wrap the training set in '
                               'NoisyLabelDataset)')
            data = model.data_preprocessor(data_batch, False)
            out = forward(model, data['inputs'])
            idx_parts.append(np.asarray(idx, dtype=np.int64))
            out_parts.append(out.float().flatten(1).cpu().numpy())
            bar.step(i)
    finally:
        model.train(was_training)
    local = (np.concatenate(idx_parts), np.concatenate(out_parts))
    parts = all_gather_object(local) if get_world_size() > 1 else [local]
    idx = np.concatenate([p[0] for p in parts])
    out = np.concatenate([p[1] for p in parts])
    # DefaultSampler pads with repeated samples: keep one copy, sorted.
    idx, first = np.unique(idx, return_index=True)
    return idx, out[first]


def predict_logits(
    model: torch.nn.Module,
    loader: DataLoader,
    progress: Optional[str] = None,
    emit: Optional[Callable[[str],
                            None]] = None) -> Tuple[np.ndarray, np.ndarray]:
    """Logits of every sample of ``loader``'s dataset, gathered from all ranks.

    Args:
        model (nn.Module): An mmpretrain classifier (not a DDP wrapper) with
            its ``data_preprocessor``; run in eval mode, then restored.
        loader (DataLoader): Yields mmpretrain batches whose data samples
            carry ``sample_idx``.
        progress (str, optional): Name of the pass: log its progress
            (:class:`_Progress`). Defaults to None (silent).
        emit (callable, optional): Receives the progress lines instead of
            the current logger (e.g. ``print``).

    Returns:
        tuple[np.ndarray, np.ndarray]: ``sample_idx`` ``(N,)`` sorted and
        unique, and float32 logits ``(N, C)`` in that order; identical on
        every rank.
    """
    return _predict(model, loader, _classifier_logits, progress, emit)


def predict_features(
    model: torch.nn.Module,
    loader: DataLoader,
    progress: Optional[str] = None,
    emit: Optional[Callable[[str],
                            None]] = None) -> Tuple[np.ndarray, np.ndarray]:
    """The classifier's input features (``extract_feat(stage='pre_logits')``:
    after the neck, before the head's last linear layer) of every sample,
    as :func:`predict_logits` (sorted ``sample_idx`` and ``(N, D)``
    float32)."""
    return _predict(model, loader, _pre_logits, progress, emit)
