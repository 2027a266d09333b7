# Copyright (c) lnl_mm contributors. All rights reserved.
"""Seconds per training epoch of every benchmark method relative to CE,
measured side by side in one process.

Every method of ``benchmark_methods.py`` trains its own leaf config of the
Fashion-MNIST benchmark protocol at 80 % symmetric noise (20,000 images,
batch 128; the clean-data methods train on the other 19,000) for
``--epochs`` epochs, its warm-ups cut to the first epoch (the method's
``steady`` options, e.g. DivideMix's CE warm-up, SLN's delayed label
correction), and the last epoch is timed: from before the first
``before_train_epoch`` hook to after the last ``after_train_epoch`` hook,
so every per-epoch pass of a method (DivideMix's division, SLN's label
correction) is in it; validation and checkpoints are off. CE (the
protocol's CE leaf) is timed the same way before the first method and after
every ``--ce-every`` methods; each method's ratio divides its epoch by the
mean of the two CE epochs that bracket it, so a change of load during the
run cancels.

The result (method -> seconds and ratio) goes to ``--out`` as JSON, which
``benchmark_table.py`` shows as the table's "epoch / CE" column;
``--update`` remeasures some methods and keeps the others. A first,
untimed CE run absorbs the process's warm-up (the first run is slower).

Example:
    python tools/benchmarks/epoch_cost.py --out \
        docs/results/benchmark/epoch_cost.json
"""
import argparse
import json
import os
import os.path as osp
import platform
import tempfile
import time
import uuid
from typing import Dict, List, Optional

import torch
from benchmark_methods import BY_KEY, METHODS, Method, scale_options
from mmengine.config import Config
from mmengine.hooks import Hook
from mmengine.logging import MMLogger
from sln_bench import QUIET as TIMING_QUIET

import lnl_mm  # noqa: F401  (registration)
from lnl_mm.utils.launch import add_default_hooks, build_runner, hooks_by_name
from lnl_mm.utils.noise_fragment import apply_noise

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
NOISE = 'sym80'
#: Options of every timed run: no validation, checkpoint or per-iteration
#: logging, no dataloader workers (one process, one thread); those of a
#: custom hook apply where the config has that hook.
QUIET = {
    **TIMING_QUIET,
    'default_hooks.checkpoint.save_last': False,
    'custom_hooks.TrainingDynamicsHook.save_per_sample': False,
    'custom_hooks.MetaDiagnosticsHook.save_per_sample': False,
    'custom_hooks.MetaDiagnosticsHook.plot': False,
}


class EpochStart(Hook):
    """Starts the clock before every other ``before_train_epoch`` hook."""

    priority = 'HIGHEST'

    def __init__(self, times: List[float]):
        self.times = times

    def before_train_epoch(self, runner) -> None:
        self.times.append(-time.perf_counter())


class EpochEnd(EpochStart):
    """Stops it after every other ``after_train_epoch`` hook."""

    priority = 'LOWEST'

    def before_train_epoch(self, runner) -> None:
        pass

    def after_train_epoch(self, runner) -> None:
        self.times[-1] += time.perf_counter()


def build_cfg(method: Method,
              epochs: int,
              extra: Dict,
              data_root: Optional[str] = None,
              images: Optional[int] = None) -> Config:
    """The method's sym80 run, as the grid would start it, made short."""
    leaf = osp.join(ROOT, method.leaf(NOISE))
    cfg = Config.fromfile(leaf)
    fragment, opts = method.run_options(NOISE)
    if fragment:
        apply_noise(cfg, fragment)
    present = {h.get('type') for h in cfg.get('custom_hooks', [])}
    quiet = {
        k: v
        for k, v in QUIET.items()
        if not k.startswith('custom_hooks.') or k.split('.')[1] in present
    }
    options = {
        **opts,
        **method.steady,
        **quiet,
        **scale_options(leaf, data_root, images, epochs),
        **extra,
    }
    cfg.merge_from_dict(hooks_by_name(cfg, options))
    cfg.work_dir = tempfile.mkdtemp(prefix='epoch_cost_')
    cfg.experiment_name = f'epoch_cost_{uuid.uuid4().hex}'
    cfg.log_level = 'WARNING'
    return cfg


def time_last_epoch(method: Method, epochs: int, extra: Dict, **data) -> float:
    """Seconds of the last of ``epochs`` training epochs."""
    cfg = build_cfg(method, epochs, extra, **data)
    add_default_hooks(cfg)
    runner = build_runner(cfg)
    times: List[float] = []
    runner.register_hook(EpochStart(times))
    runner.register_hook(EpochEnd(times))
    runner.train()
    MMLogger._instance_dict.clear()
    if len(times) != epochs:
        raise RuntimeError(f'{method.key}: {len(times)} epochs timed, '
                           f'expected {epochs}')
    return times[-1]


def main():
    p = argparse.ArgumentParser(
        description=' '.join(__doc__.split('\n\n')[0].split()))
    p.add_argument(
        '--methods',
        nargs='+',
        default=[m.key for m in METHODS if m.key != 'ce'],
        choices=[m.key for m in METHODS if m.key != 'ce'],
        metavar='METHOD')
    p.add_argument('--epochs', type=int, default=2)
    p.add_argument('--ce-every', type=int, default=4)
    p.add_argument('--threads', type=int, default=1)
    p.add_argument('--out', help='JSON result file')
    p.add_argument(
        '--update',
        action='store_true',
        help='keep the other methods of an existing --out file (remeasure '
        'some)')
    p.add_argument(
        '--data-root',
        help='IDX files (default: the configs\', Debian\'s '
        'dataset-fashion-mnist)')
    p.add_argument(
        '--images',
        type=int,
        help='training images (default: the protocol\'s 20,000; 0: all)')
    p.add_argument(
        '--cfg-options',
        nargs='+',
        default=[],
        metavar='KEY=VALUE',
        help='extra options of every run')
    args = p.parse_args()
    if args.epochs < 2:
        raise SystemExit('--epochs must be >= 2 (the first is the warm-up)')
    if args.ce_every < 1:
        raise SystemExit(f'--ce-every must be >= 1, got {args.ce_every}')
    extra = {}
    for item in args.cfg_options:
        key, sep, value = item.partition('=')
        if not sep:
            raise SystemExit(f'--cfg-options {item!r} is not KEY=VALUE')
        extra[key] = None if value == 'None' else value
    data = dict(data_root=args.data_root, images=args.images)
    torch.set_num_threads(args.threads)
    os.environ.setdefault('OMP_NUM_THREADS', str(args.threads))
    ce = BY_KEY['ce']
    results = {}
    print('| method | epoch (s) | CE epoch (s) | epoch / CE |')
    print('| --- | --- | --- | --- |', flush=True)
    blocks = [
        args.methods[i:i + args.ce_every]
        for i in range(0, len(args.methods), args.ce_every)
    ]
    # an untimed CE run first: the first run of a process is slower
    # (allocator, caches, lazy initialisation), which would bias the first
    # bracket
    time_last_epoch(ce, args.epochs, extra, **data)
    t_before = time_last_epoch(ce, args.epochs, extra, **data)
    for block in blocks:
        own = {
            key: time_last_epoch(BY_KEY[key], args.epochs, extra, **data)
            for key in block
        }
        t_after = time_last_epoch(ce, args.epochs, extra, **data)
        t_ce = (t_before + t_after) / 2
        for key, t in own.items():
            results[key] = dict(
                seconds=round(t, 3),
                ce_seconds=round(t_ce, 3),
                ratio=round(t / t_ce, 3))
            print(
                f'| {key} | {t:.2f} | {t_ce:.2f} | {t / t_ce:.2f} |',
                flush=True)
        t_before = t_after
    if args.out:
        if args.update and osp.exists(args.out):
            with open(args.out) as f:
                results = {**json.load(f)['methods'], **results}
        os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
        with open(args.out, 'w') as f:
            json.dump(
                dict(
                    noise=NOISE,
                    epochs=args.epochs,
                    threads=args.threads,
                    torch=torch.__version__,
                    cpu=platform.processor() or platform.machine(),
                    extra_options=args.cfg_options,
                    methods=results),
                f,
                indent=1,
                sort_keys=True)
            f.write('\n')


if __name__ == '__main__':
    main()
