# Copyright (c) lnl_mm contributors. All rights reserved.
"""Training images per second: the ``tools/train.py`` path against a plain
PyTorch loop, side by side in one process.

Both train the benchmark protocol's model (the 4-layer CNN) on the same
noisy training images (the protocol's first 20,000 Fashion-MNIST images by
default) with batch 128, SGD 0.01 (momentum 0.9, wd 1e-3), gradient-norm
clip 5 and CE, for ``--epochs`` epochs each, alternately, ``--rounds``
times; no validation. The MMEngine side is the runner ``tools/train.py``
builds (its default hooks, the dataset wrapper, ``PackNoisyInputs``,
collation and the data preprocessor); the plain side holds the images as
one normalised float tensor and indexes it with shuffled batches of
indices (no per-sample collation at all: the fastest plain loop).
The median epoch (the first of each round left out) gives images per
second; the goal is a ratio of at least 0.9.

A third loop runs the same runner with MMEngine's ``pseudo_collate`` (a
list of images that the data preprocessor converts and normalises one by
one; what ``Runner.from_cfg`` uses for a loader that names no
``collate_fn``) instead of ``default_collate`` (one stacked batch,
normalised once; the same numbers bit for bit), which ``tools/train.py``
and the dataset bases set: the gap between the rows is what stacking
saves.

Example:
    python tools/benchmarks/train_throughput.py --images 20000 --epochs 3
"""
import argparse
import os.path as osp
import statistics
import tempfile
import time
import uuid

import torch
import torch.nn.functional as F
from mmengine.config import Config
from mmengine.hooks import Hook
from mmengine.logging import MMLogger
from mmpretrain.registry import DATASETS, MODELS

import lnl_mm  # noqa: F401  (registration)
from lnl_mm.utils.launch import (add_default_hooks, build_runner,
                                 set_dataloader_defaults)

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(ROOT, 'configs', 'noisy_baseline',
                  'ce_cnn4_1xb128-30e_fashionmnist-sym80.py')


class EpochTimer(Hook):
    """Wall time of every training epoch."""

    priority = 'VERY_LOW'

    def __init__(self, times):
        self.times, self.start = times, 0.0

    def before_train_epoch(self, runner) -> None:
        self.start = time.perf_counter()

    def after_train_epoch(self, runner) -> None:
        self.times.append(time.perf_counter() - self.start)


#: ``--data-root`` (None: the config's, Debian's dataset-fashion-mnist).
DATA_ROOT = None


def protocol(images: int, epochs: int, collate: str = '') -> Config:
    cfg = Config.fromfile(CONFIG)
    if collate:
        cfg.train_dataloader.collate_fn = dict(type=collate)
    if DATA_ROOT:
        cfg.train_dataloader.dataset.dataset.data_root = DATA_ROOT
    cfg.train_dataloader.dataset.dataset.indices = images
    cfg.train_cfg.max_epochs = epochs
    cfg.param_scheduler.T_max = epochs
    cfg.val_cfg = cfg.val_dataloader = cfg.val_evaluator = None
    cfg.test_cfg = cfg.test_dataloader = cfg.test_evaluator = None
    cfg.custom_hooks = [
        h for h in cfg.custom_hooks
        if h.type not in ('AccuracySummaryHook', 'TrainingDynamicsHook')
    ]
    cfg.log_level = 'WARNING'
    return cfg


def mmengine_epochs(images: int, epochs: int, collate: str = '') -> list:
    cfg = protocol(images, epochs, collate)
    cfg.work_dir = tempfile.mkdtemp(prefix='throughput_')
    cfg.experiment_name = f'throughput_{uuid.uuid4().hex}'
    cfg.default_hooks.checkpoint.interval = epochs
    set_dataloader_defaults(cfg, True, True)  # as tools/train.py
    add_default_hooks(cfg)
    runner = build_runner(cfg)
    times: list = []
    runner.register_hook(EpochTimer(times))
    runner.train()
    MMLogger._instance_dict.clear()
    return times[1:]


def plain_data(images: int):
    """The same noisy training images and labels, as tensors."""
    cfg = protocol(images, 1)
    ds = DATASETS.build(cfg.train_dataloader.dataset)
    inner = ds.dataset
    x = torch.stack([
        torch.from_numpy(inner.get_data_info(i)['img'])
        for i in range(len(ds))
    ]).unsqueeze(1).float()
    pre = cfg.data_preprocessor
    x = (x - pre.mean[0]) / pre.std[0]
    y = torch.as_tensor(ds.noisy_labels, dtype=torch.long)
    return x, y


def plain_epochs(x, y, epochs: int) -> list:
    cfg = protocol(len(y), epochs)
    model = MODELS.build(cfg.model)
    model.train()
    opt = torch.optim.SGD(
        model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-3)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=epochs)
    times = []
    for _ in range(epochs):
        start = time.perf_counter()
        for idx in torch.randperm(len(y)).split(128):  # shuffled batches
            xb, yb = x[idx], y[idx]
            loss = F.cross_entropy(model(xb, mode='tensor'), yb)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
        sched.step()
        times.append(time.perf_counter() - start)
    return times[1:]


def main():
    p = argparse.ArgumentParser(
        description=' '.join(__doc__.split('\n\n')[0].split()))
    p.add_argument('--images', type=int, default=20000)
    p.add_argument('--epochs', type=int, default=3)
    p.add_argument('--rounds', type=int, default=2)
    p.add_argument('--threads', type=int, default=1)
    p.add_argument('--goal', type=float, default=0.9)
    p.add_argument('--data-root', help='IDX files (default: the config\'s)')
    args = p.parse_args()
    global DATA_ROOT
    DATA_ROOT = args.data_root
    if args.epochs < 2:
        raise SystemExit('--epochs must be >= 2 (the first is left out)')
    torch.set_num_threads(args.threads)
    x, y = plain_data(args.images)
    mm, pseudo, plain = [], [], []
    for _ in range(args.rounds):
        mm += mmengine_epochs(args.images, args.epochs)
        pseudo += mmengine_epochs(args.images, args.epochs, 'pseudo_collate')
        plain += plain_epochs(x, y, args.epochs)
    mm_rate = args.images / statistics.median(mm)
    pseudo_rate = args.images / statistics.median(pseudo)
    plain_rate = args.images / statistics.median(plain)
    ratio = mm_rate / plain_rate
    collate = protocol(args.images, 1).train_dataloader.collate_fn['type']
    if torch.get_num_threads() != args.threads:
        raise SystemExit(f'the runner changed the torch threads to '
                         f'{torch.get_num_threads()}: the loops are not '
                         'comparable')
    print(f'torch {torch.__version__}, {args.threads} thread(s), '
          f'{args.images} images, batch 128')
    print('| loop | images / s | ratio |\n|---|---|---|')
    print(f'| plain PyTorch | {plain_rate:.0f} | 1.00 |')
    print(f'| tools/train.py (MMEngine), {collate} | {mm_rate:.0f} | '
          f'{ratio:.2f} |')
    print(f'| the same runner, pseudo_collate | {pseudo_rate:.0f} | '
          f'{pseudo_rate / plain_rate:.2f} |')
    verdict = 'meets' if ratio >= args.goal else 'MISSES'
    print(f'ratio {ratio:.2f}: {verdict} the goal of {args.goal}')


if __name__ == '__main__':
    main()
