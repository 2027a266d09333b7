# Copyright (c) lnl_mm contributors. All rights reserved.
"""Seconds per training epoch of every benchmark method relative to CE,
measured side by side in one process.

Every method of ``benchmark_methods.py`` trains its own leaf config of the
Fashion-MNIST benchmark protocol at 80 % symmetric noise (20,000 images,
batch 128; the clean-data methods train on the other 19,000) for ``--epochs``
epochs, its warm-ups cut to the first epoch (the method's ``steady`` options,
e.g. DivideMix's CE warm-up, SLN's delayed label correction), and the last
``--timed`` epochs are timed, each from before the first
``before_train_epoch`` hook to after the last ``after_train_epoch`` hook, so
every per-epoch pass of a method (DivideMix's division, SLN's label
correction) is in it; the run's time is the fastest of them (the epoch the
machine's load disturbed least: on a shared machine one epoch varied by up to
about 30 % from run to run); validation and checkpoints are off. CE (the
protocol's CE leaf) is timed the same way before the first method and after
every ``--ce-every`` methods; each method's ratio divides its epoch by the
mean of the two CE epochs that bracket it, so a change of load during the run
cancels.

The result (method -> seconds and ratio) goes to ``--out`` as JSON, which
``benchmark_table.py`` shows as the table's "epoch / CE" column;
``--update`` remeasures some methods and keeps the others (of a file
measured the same way: epochs, timed epochs, threads, CE brackets,
options, scale, torch and CPU). A first,
untimed CE run absorbs the process's warm-up (the first run is slower).
Each entry keeps its two CE epochs; a bracket whose CE epochs differ by
more than ``SPREAD_LIMIT`` (the load changed during it) is flagged
``unsteady`` in the file and in the printed table, to be remeasured.

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
from mmengine.config import Config, DictAction
from mmengine.hooks import Hook
from mmengine.logging import MMLogger
from sln_bench import QUIET as TIMING_QUIET

import lnl_mm  # noqa: F401  (registration)
from lnl_mm.utils.launch import add_default_hooks, build_runner, hooks_by_name
from lnl_mm.utils.noise_fragment import apply_noise

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
NOISE = 'sym80'
#: A bracket's CE epochs may differ by this share of their mean.
SPREAD_LIMIT = 0.10
#: What an ``--update`` must share with the file it updates.
HEADER = ('noise', 'epochs', 'timed', 'threads', 'ce_every', 'extra_options',
          'scale', 'torch', 'cpu')
#: What a file written before an option existed was measured with.
HEADER_DEFAULTS = {'timed': 1}
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


def time_steady_epoch(method: Method,
                      epochs: int,
                      extra: Dict,
                      timed: int = 1,
                      **data) -> float:
    """Seconds of the fastest of the last ``timed`` of ``epochs`` training
    epochs."""
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
    return fastest(times, timed)


def fastest(times: List[float], timed: int) -> float:
    """The fastest of the last ``timed`` epochs (the first is never timed:
    it holds the warm-ups)."""
    if not 1 <= timed < len(times):
        raise ValueError(f'timed={timed}: time 1 to {len(times) - 1} of '
                         f'{len(times)} epochs')
    return min(times[-timed:])


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
    p.add_argument(
        '--timed',
        type=int,
        default=1,
        help='time the last TIMED epochs of each run and keep the fastest '
        '(at most --epochs - 1)')
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
        action=DictAction,
        default={},
        metavar='KEY=VALUE',
        help='extra options of every run (parsed as tools/train.py does)')
    args = p.parse_args()
    if args.epochs < 2:
        raise SystemExit('--epochs must be >= 2 (the first is the warm-up)')
    if not 1 <= args.timed < args.epochs:
        raise SystemExit(f'--timed {args.timed}: time 1 to --epochs - 1 = '
                         f'{args.epochs - 1} epochs (the first is the '
                         'warm-up)')
    if args.ce_every < 1:
        raise SystemExit(f'--ce-every must be >= 1, got {args.ce_every}')
    extra = dict(args.cfg_options)
    data = dict(data_root=args.data_root, images=args.images)
    header = dict(
        noise=NOISE,
        epochs=args.epochs,
        timed=args.timed,
        threads=args.threads,
        ce_every=args.ce_every,
        extra_options=extra,
        scale=data,
        torch=torch.__version__,
        cpu=platform.processor() or platform.machine())
    kept = kept_methods(args.out, header) if args.update else {}
    torch.set_num_threads(args.threads)
    os.environ.setdefault('OMP_NUM_THREADS', str(args.threads))
    ce = BY_KEY['ce']
    results = {}
    print('| method | epoch (s) | CE epochs (s) | epoch / CE |')
    print('| --- | --- | --- | --- |', flush=True)
    blocks = [
        args.methods[i:i + args.ce_every]
        for i in range(0, len(args.methods), args.ce_every)
    ]
    # an untimed CE run first: the first run of a process is slower
    # (allocator, caches, lazy initialisation), which would bias the first
    # bracket
    time_steady_epoch(ce, args.epochs, extra, args.timed, **data)
    t_before = time_steady_epoch(ce, args.epochs, extra, args.timed, **data)
    for block in blocks:
        own = {
            key:
            time_steady_epoch(BY_KEY[key], args.epochs, extra, args.timed,
                              **data)
            for key in block
        }
        t_after = time_steady_epoch(ce, args.epochs, extra, args.timed, **data)
        for key, t in own.items():
            results[key] = entry(t, t_before, t_after)
            r = results[key]
            flag = ' **unsteady**' if r['unsteady'] else ''
            print(
                f'| {key} | {t:.2f} | {t_before:.2f}, {t_after:.2f} | '
                f'{r["ratio"]:.2f}{flag} |',
                flush=True)
        t_before = t_after
    unsteady = sorted(k for k, v in results.items() if v['unsteady'])
    if unsteady:
        print(f'CE epochs of a bracket differ by more than '
              f'{SPREAD_LIMIT:.0%}: remeasure {" ".join(unsteady)} (--update)')
    if args.out:
        os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
        with open(args.out, 'w') as f:
            json.dump(
                dict(**header, methods={
                    **kept,
                    **results
                }),
                f,
                indent=1,
                sort_keys=True)
            f.write('\n')


def entry(seconds: float, ce_before: float, ce_after: float) -> Dict:
    """One method's result: its epoch over the mean of the two CE epochs
    that bracket it, and whether those two agree within SPREAD_LIMIT."""
    t_ce = (ce_before + ce_after) / 2
    spread = abs(ce_after - ce_before) / t_ce
    return dict(
        seconds=round(seconds, 3),
        ce_seconds=round(t_ce, 3),
        ce_epochs=[round(ce_before, 3),
                   round(ce_after, 3)],
        ce_spread=round(spread, 3),
        unsteady=spread > SPREAD_LIMIT,
        ratio=round(seconds / t_ce, 3))


def kept_methods(out: Optional[str], header: Dict) -> Dict:
    """The methods of an existing ``--out`` to keep on ``--update``;
    refuses a file measured another way (what differs is named)."""
    if not out:
        raise SystemExit('--update needs --out (the file to update)')
    if not osp.exists(out):
        return {}
    with open(out) as f:
        old = json.load(f)

    def was(k):
        return old.get(k, HEADER_DEFAULTS.get(k))

    def shown(k):
        if k in old or k not in HEADER_DEFAULTS:
            return repr(old.get(k))
        return f'{HEADER_DEFAULTS[k]!r} (the file predates --{k})'

    differ = [
        f'{k}: {shown(k)} there, {header[k]!r} here' for k in HEADER
        if json.dumps(was(k), sort_keys=True) != json.dumps(
            header[k], sort_keys=True)
    ]
    if differ:
        raise SystemExit(f'--update: {out} was measured another way (' +
                         '; '.join(differ) + '); measure all methods into a '
                         'new file instead')
    return old['methods']


if __name__ == '__main__':
    main()
