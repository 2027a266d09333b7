# Copyright (c) lnl_mm contributors. All rights reserved.
"""Per-sample training records from a checkpoint (for the analysis tools)."""
import copy
import glob
import os.path as osp
import re
import tempfile

import numpy as np
import torch
from mmengine.config import Config
from mmengine.runner import Runner

from ...datasets.wrappers import find_noisy_dataset
from ...evaluation import load_epoch_records, per_sample_ce
from ...utils import resolve_checkpoint
from .predict import predict_logits


def _innermost(dataset_cfg):
    while 'dataset' in dataset_cfg:
        dataset_cfg = dataset_cfg['dataset']
    return dataset_cfg


def build_from_checkpoint(cfg: Config, checkpoint: str):
    """A runner whose model holds ``checkpoint`` and the training set built
    without shuffling, through the *test* pipeline (no augmentation).

    Returns:
        tuple: ``(runner, model, loader)``.
    """
    cfg = copy.deepcopy(cfg)
    cfg.work_dir = tempfile.mkdtemp(prefix='lnl_mm_records_')
    cfg.load_from = None
    cfg.resume = False
    # No training hooks: they expect a training run (the EMA copy, the
    # label store); the checkpoint's state_dict is what gets analysed.
    cfg.custom_hooks = []
    loader_cfg = cfg.train_dataloader
    _innermost(loader_cfg.dataset)['pipeline'] = copy.deepcopy(
        _innermost(cfg.test_dataloader.dataset)['pipeline'])
    loader_cfg.sampler = dict(type='DefaultSampler', shuffle=False)
    loader_cfg.num_workers = 0
    loader_cfg.persistent_workers = False
    runner = Runner.from_cfg(cfg)
    runner.load_checkpoint(checkpoint, map_location='cpu')
    loader = runner.build_dataloader(loader_cfg)
    return runner, runner.model, loader


def records_from_checkpoint(cfg: Config, checkpoint: str) -> dict:
    """The per-sample record (see :mod:`lnl_mm.evaluation.records`) of the
    checkpoint's model on the un-augmented training set.

    A checkpoint written with :class:`MomentumModelHook` holds the momentum
    model as its ``state_dict``, so that is the model analysed.
    """
    _, model, loader = build_from_checkpoint(cfg, checkpoint)
    idx, logits = predict_logits(model, loader)
    noisy = find_noisy_dataset(loader.dataset)
    if noisy is not None:
        given, clean = noisy.noisy_labels[idx], noisy.clean_labels[idx]
    else:
        given, clean = np.asarray(loader.dataset.get_gt_labels())[idx], None
    z = logits - logits.max(axis=1, keepdims=True)
    prob = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    record = dict(sample_idx=idx, pred=logits.argmax(1),
                  prob_given=prob[np.arange(len(idx)), given],
                  loss=per_sample_ce(logits, given), given=given)
    if clean is not None:
        record['clean'] = clean
    return record


def load_records(work_dir=None, config=None, checkpoint=None) -> dict:
    """``{epoch: record}`` from a work dir's per-epoch records, or one
    record from a checkpoint (keyed by its epoch, 0 when unknown).

    Args:
        work_dir (str, optional): A training work dir.
        config (str, optional): Config file; with ``checkpoint``. Defaults
            to the config MMEngine dumped into ``work_dir``.
        checkpoint (str, optional): ``epoch_N.pth``, ``latest.pth`` or a
            ``last_checkpoint`` pointer (file or its work dir).
    """
    if checkpoint is None:
        if work_dir is None:
            raise ValueError('give a work dir or --checkpoint')
        return load_epoch_records(work_dir)
    path = resolve_checkpoint(checkpoint)
    if config is None:
        dumped = glob.glob(osp.join(work_dir or osp.dirname(path), '*.py'))
        if len(dumped) != 1:
            raise ValueError('--config is needed: found no single dumped '
                             f'config next to {path}')
        config = dumped[0]
    meta = torch.load(path, map_location='cpu', weights_only=True).get(
        'meta', {})
    match = re.search(r'epoch_(\d+)\.pth$', path)
    epoch = int(meta.get('epoch', match.group(1) if match else 0))
    return {epoch: records_from_checkpoint(Config.fromfile(config), path)}
