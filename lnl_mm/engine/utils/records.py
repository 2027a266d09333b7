# Copyright (c) lnl_mm contributors. All rights reserved.
"""Per-sample training records from a checkpoint (for the analysis tools)."""
import atexit
import contextlib
import copy
import io
import os.path as osp
import re
import shutil
import sys
import tempfile
from typing import Tuple

import numpy as np
from mmengine.config import Config

from ...datasets.wrappers import find_noisy_dataset
from ...evaluation import load_epoch_records, make_record
from ...utils import resolve_checkpoint
from ...utils.launch import build_runner
from ...utils.work_dir import dumped_config
from .config_utils import use_test_pipeline
from .predict import predict_logits


def build_from_checkpoint(cfg: Config, checkpoint: str, verbose: bool = False):
    """A runner whose model holds ``checkpoint`` and the training set built
    without shuffling, through the *test* pipeline (no augmentation).

    The runner works in a temporary folder, removed when the process ends,
    and logs only warnings unless ``verbose`` (the environment, the config
    and the checkpoint loading are a training run's business, not an
    analysis tool's).

    Returns:
        tuple: ``(model, loader, meta)``, ``meta`` being the checkpoint's.
    """
    cfg = copy.deepcopy(cfg)
    cfg.work_dir = tempfile.mkdtemp(prefix='lnl_mm_records_')
    atexit.register(shutil.rmtree, cfg.work_dir, ignore_errors=True)
    if not verbose:
        cfg.log_level = 'WARNING'
    cfg.load_from = None
    cfg.resume = False
    # No training hooks: they expect a training run (the EMA copy, the
    # label store); the checkpoint's state_dict is what gets analysed.
    cfg.custom_hooks = []
    loader_cfg = cfg.train_dataloader
    use_test_pipeline(loader_cfg.dataset, cfg)
    loader_cfg.sampler = dict(type='DefaultSampler', shuffle=False)
    loader_cfg.num_workers = 0
    loader_cfg.persistent_workers = False
    runner = build_runner(cfg)
    # MMEngine prints "Loads checkpoint by local backend ..." (a print, not
    # a log record): part of the runner's chatter
    with contextlib.redirect_stdout(sys.stdout if verbose else io.StringIO()):
        meta = runner.load_checkpoint(
            checkpoint, map_location='cpu').get('meta', {})
    return runner.model, runner.build_dataloader(loader_cfg), meta


def records_from_checkpoint(cfg: Config,
                            checkpoint: str,
                            verbose: bool = False) -> Tuple[int, dict]:
    """The epoch and the per-sample record (see
    :mod:`lnl_mm.evaluation.records`) of the checkpoint's model on the
    un-augmented training set. The epoch is the checkpoint's (its
    ``epoch_N.pth`` name when the meta lacks it, else 0).

    A checkpoint written with :class:`MomentumModelHook` holds the momentum
    model as its ``state_dict``, so that is the model analysed.
    """
    model, loader, meta = build_from_checkpoint(cfg, checkpoint, verbose)
    match = re.search(r'epoch_(\d+)\.pth$', checkpoint)
    epoch = int(meta.get('epoch', match.group(1) if match else 0))
    idx, logits = predict_logits(
        model,
        loader,
        progress=f'Predicting the training set with {checkpoint}',
        emit=lambda line: print(line, flush=True))
    noisy = find_noisy_dataset(loader.dataset)
    if noisy is not None:
        given, clean = noisy.noisy_labels[idx], noisy.clean_labels[idx]
    else:
        given, clean = np.asarray(loader.dataset.get_gt_labels())[idx], None
    return epoch, make_record(idx, logits, given, clean)


def load_records(work_dir=None,
                 config=None,
                 checkpoint=None,
                 verbose: bool = False) -> dict:
    """``{epoch: record}`` from a work dir's per-epoch records, or one
    record from a checkpoint (keyed by its epoch, 0 when unknown).

    Args:
        work_dir (str, optional): A training work dir.
        config (str, optional): Config file; with ``checkpoint``. Defaults
            to the config MMEngine dumped beside the checkpoint.
        checkpoint (str, optional): ``epoch_N.pth``, ``latest.pth`` or a
            ``last_checkpoint`` pointer (file or its work dir).
        verbose (bool): Show the checkpoint runner's log.
    """
    if checkpoint is None:
        if work_dir is None:
            raise ValueError('give a work dir or a checkpoint')
        return load_epoch_records(work_dir)
    path = resolve_checkpoint(checkpoint)
    if config is None:
        config = dumped_config(work_dir or osp.dirname(path))
        if config is None:
            raise ValueError(f'give the config before the checkpoint: found '
                             f'no single dumped config beside {path}')
    epoch, record = records_from_checkpoint(
        Config.fromfile(config), path, verbose=verbose)
    return {epoch: record}
