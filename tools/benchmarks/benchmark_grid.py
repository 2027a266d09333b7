# Copyright (c) lnl_mm contributors. All rights reserved.
"""Run the Fashion-MNIST benchmark protocol for every method and setting.

Each run (method x noise setting x seed; the noise seed is the training
seed) is a Ray Tune trial that trains with ``tools/train.py`` in its own
work dir (``WORK_ROOT/<method>/<noise>/seed<k>``) and, when it finishes,
writes its result file ``RECORDS/<method>/<noise>/seed<k>.json``: the
last-epoch, mean-of-last-5 and best-epoch (test-selected, for comparison
only) accuracy on the clean test labels, the accuracy of every epoch, the
share of the wrong labels fitted per epoch, the last meta / selection
diagnostics, the wall time, the config and the options. A rerun skips
every run that has a result file and resumes an interrupted one from its
last checkpoint, so the grid can be completed over several sittings and its
result files committed as they arrive (``--backfill`` adds the per-epoch
values to result files written before they were kept).
Trials run on a local Ray instance, or on a cluster with ``--address``.

The methods and settings are ``benchmark_methods.py``; the table and the
figure are ``benchmark_table.py``.

Example:
    python tools/benchmarks/benchmark_grid.py --noise sym80 asym40 \\
        --methods ce jocor --seeds 0 1
"""
import argparse
import json
import math
import os
import os.path as osp
import subprocess
import sys
import time
from typing import Optional, Tuple

from benchmark_methods import (BY_KEY, CLEAN, METHODS, NOISES, SEEDS,
                               scale_options)
from two_network_table import run_values, scalar_rows

from lnl_mm.utils.work_dir import continue_flags

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
RECORDS = osp.join('docs', 'results', 'benchmark')


def record_path(records: str, method: str, noise: str, seed: int) -> str:
    """Where one run's result file lives."""
    return osp.join(records, method, noise, f'seed{seed}.json')


def run_spec(method: str,
             noise: str,
             seed: int,
             work_root: str,
             records: str,
             extra: list,
             scale: Optional[dict] = None) -> dict:
    """Everything a trial needs, as plain data (Ray sends it to a worker).

    ``scale``: ``data_root`` / ``images`` / ``epochs`` of
    :func:`benchmark_methods.scale_options` (None: the protocol's).
    """
    m = BY_KEY[method]
    fragment, opts = m.run_options(noise)
    scaled = scale_options(osp.join(ROOT, m.leaf(noise)), **(scale or {}))
    options = [f'{k}={v}' for k, v in opts.items()] + [
        f'randomness.seed={seed}', f'train_dataloader.dataset.seed={seed}',
        'custom_hooks.TrainingDynamicsHook.save_per_sample=False',
        *[f'{k}={v}' for k, v in scaled.items()], *extra
    ]
    return dict(
        method=method,
        noise=noise,
        seed=seed,
        config=m.leaf(noise),
        fragment=fragment,
        options=options,
        work_dir=osp.join(work_root, method, noise, f'seed{seed}'),
        record=record_path(records, method, noise, seed))


def command(spec: dict) -> list:
    """The ``tools/train.py`` command of a run (resuming when it can)."""
    cmd = [
        sys.executable,
        osp.join(ROOT, 'tools', 'train.py'), spec['config'], '--work-dir',
        spec['work_dir'], *continue_flags(spec['work_dir'])
    ]
    if spec['fragment']:
        cmd += ['--noise', spec['fragment']]
    return cmd + ['--cfg-options', *spec['options']]


def _git(*args: str) -> Optional[str]:
    try:
        return subprocess.run(['git', *args],
                              cwd=ROOT,
                              capture_output=True,
                              text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


#: What a run executes: a change here makes its commit ``+dirty``.
CODE = ('lnl_mm', 'configs', 'tools', 'setup.py', 'requirements')


def _commit() -> str:
    """The code a run starts with: HEAD, ``+dirty`` when a tracked file of
    :data:`CODE` differs from it (documentation and records do not count),
    ``+unknown`` when ``git status`` fails.
    A resumed run names the commit of its resumption."""
    head = _git('rev-parse', 'HEAD')
    if head is None:
        return 'unknown'
    changed = _git('status', '--porcelain', '--untracked-files=no', '--',
                   *CODE)
    if changed is None:  # e.g. another git command held the index lock
        return head + '+unknown'
    return head + ('+dirty' if changed else '')


#: ``training_dynamics.json`` keys -> record keys, one value per epoch.
DYNAMICS = dict(
    noisy_memorized='memorized',
    clean_fit='clean_fit',
    noisy_corrected='corrected')


def _read_json(path: str):
    if not osp.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


#: Training scalars kept per epoch (the epoch's last logged value), where a
#: run logs them: Dynamic Loss's share of wrong labels in its meta set.
TRAIN_SCALARS = ('meta_set_noise_rate', )


def _train_scalars(work_dir: str) -> dict:
    """``name -> {epoch: last logged value}`` for :data:`TRAIN_SCALARS`,
    over every session of the run (a resumed run logs to a new folder)."""
    out: dict = {}
    for row in scalar_rows(work_dir):
        for name in TRAIN_SCALARS:
            if name in row and 'epoch' in row:
                out.setdefault(name, {})[row['epoch']] = row[name]
    return out


def _ratio(value):
    """A share rounded to 4 digits; ``None`` (no sample of that kind, e.g.
    no noisy label on clean data) and NaN (not strict JSON) as ``None``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return round(value, 4) if isinstance(value, float) else value


def dynamics_values(work_dir: str) -> dict:
    """The course of a finished run, kept in its result file so that what
    the docs say about it can be checked once the work dir is gone: the
    clean test accuracy of every evaluated epoch (``curve``, with
    ``curve_epochs``) and the best one's epoch; per epoch of
    ``training_dynamics.json``, of the wrongly labelled training images the
    share predicted as their given label (``memorized``) and as their true
    one (``corrected``), of the correctly labelled ones the share fitted
    (``clean_fit``); and the last entry of ``meta_diagnostics.json`` as
    written (the weights of clean and noisy samples, a selection's shares);
    per epoch, the training scalars of :data:`TRAIN_SCALARS` a run logs
    (``train_scalars``). Ratios are rounded to 4 digits, accuracies to 2; a
    share without samples (no noisy label on clean data) is ``None``."""
    out: dict = {}
    summary = _read_json(osp.join(work_dir, 'summary.json')) or {}
    history = summary.get('history') or []
    if history:
        out['curve_epochs'] = [h['epoch'] for h in history]
        out['curve'] = [round(h['value'], 2) for h in history]
        out['best_epoch'] = summary['best_epoch']
    dynamics = _read_json(osp.join(work_dir, 'training_dynamics.json'))
    if dynamics:
        out['dynamics_epochs'] = [e['epoch'] for e in dynamics]
        for key, name in DYNAMICS.items():
            if all(key in e for e in dynamics):
                out[name] = [_ratio(e[key]) for e in dynamics]
    scalars = _train_scalars(work_dir)
    if scalars:
        out['train_scalars'] = {
            name:
            dict(
                epochs=sorted(by_epoch),
                values=[_ratio(by_epoch[e]) for e in sorted(by_epoch)])
            for name, by_epoch in scalars.items()
        }
    diagnostics = _read_json(osp.join(work_dir, 'meta_diagnostics.json'))
    if diagnostics:
        out['last_diagnostics'] = {
            k: _ratio(v)
            for k, v in diagnostics[-1].items()
        }
    return out


def write_record(path: str, record: dict) -> None:
    """Whole or absent: written beside, then moved into place."""
    os.makedirs(osp.dirname(path), exist_ok=True)
    tmp = path + '.tmp'
    with open(tmp, 'w') as f:
        json.dump(record, f, indent=1, sort_keys=True, allow_nan=False)
        f.write('\n')
    os.replace(tmp, path)


#: A result file's numbers -> the work dir's ``summary.json`` keys: all
#: three must agree before the work dir's curves go into the file.
SAME_RUN = dict(last='last', mean_last='mean_last_k', best='best')


def backfill(runs: list, write: bool = True) -> Tuple[list, list]:
    """Add the :func:`dynamics_values` a result file lacks (written before
    they were kept), from its work dir where that is still at hand; nothing
    the file holds changes. A work dir whose last, mean-of-last-k or best
    accuracy is not its result file's is another run: left out and named.
    ``write=False`` lists what would change. Returns the files that gained
    (or would gain) their curves and the mismatches, each a line of text."""
    done, mismatched = [], []
    for spec in runs:
        record = _read_json(spec['record'])
        if record is None:
            continue
        summary = _read_json(osp.join(spec['work_dir'], 'summary.json'))
        extra = dynamics_values(spec['work_dir'])
        if summary is None or 'curve' not in extra:
            continue  # no work dir, or one without an evaluated epoch
        # only what the file lacks (a value it holds is never replaced)
        extra = {k: v for k, v in extra.items() if k not in record}
        if not extra:
            continue
        differ = [
            f'{key} {record.get(key)} vs {summary.get(key2)}'
            for key, key2 in SAME_RUN.items()
            if not _same(record.get(key), summary.get(key2))
        ]
        if differ:
            mismatched.append(f'{spec["record"]} and {spec["work_dir"]}: '
                              f'{", ".join(differ)}')
            continue
        if write:
            write_record(spec['record'], dict(record, **extra))
        done.append(spec['record'])
    return done, mismatched


def _same(a, b) -> bool:
    return a is not None and b is not None and round(a, 4) == round(b, 4)


def run_one(spec: dict, threads: int) -> dict:
    """Train one run to its end and write its result file."""
    os.makedirs(spec['work_dir'], exist_ok=True)
    env = dict(
        os.environ, OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
    log = spec['work_dir'] + '.log'
    resumed = bool(continue_flags(spec['work_dir']))
    commit = _commit()  # before the run: HEAD may move while it trains
    start = time.time()
    with open(log, 'a') as f:  # a resumed run's log continues the first
        proc = subprocess.run(
            command(spec),
            cwd=ROOT,
            env=env,
            stdout=f,
            stderr=subprocess.STDOUT)
    if proc.returncode != 0:
        raise RuntimeError(f'{spec["method"]} {spec["noise"]} seed '
                           f'{spec["seed"]} failed, see {log}')
    values = run_values(spec['work_dir'])
    record = dict(
        values,
        **dynamics_values(spec['work_dir']),
        method=spec['method'],
        noise=spec['noise'],
        seed=spec['seed'],
        config=spec['config'],
        noise_fragment=spec['fragment'],
        options=spec['options'],
        wall_seconds=round(time.time() - start, 1),
        resumed=resumed,  # then the wall time is the resumed part only
        threads=threads,
        commit=commit)
    write_record(spec['record'], record)
    return record


def trial(config: dict) -> None:
    """A Ray Tune trial: one run."""
    from ray import tune
    record = run_one(config['run'], config['threads'])
    tune.report(dict(last=record['last'], mean_last=record['mean_last']))


def parse_args():
    p = argparse.ArgumentParser(
        description=' '.join(__doc__.split('\n\n')[0].split()))
    p.add_argument(
        '--methods',
        nargs='+',
        default=[m.key for m in METHODS],
        choices=[m.key for m in METHODS],
        metavar='METHOD',
        help='default: all, in the order of benchmark_methods.py')
    p.add_argument(
        '--noise',
        nargs='+',
        default=list(NOISES),
        choices=[*NOISES, CLEAN],
        help=f'settings; {CLEAN!r} is CE on clean labels (the reference)')
    p.add_argument('--seeds', nargs='+', type=int, default=list(SEEDS))
    p.add_argument('--work-root', default='work_dirs/benchmark')
    p.add_argument('--records', default=RECORDS)
    p.add_argument(
        '--data-root',
        help='the IDX files (default: the configs\', Debian\'s '
        'dataset-fashion-mnist)')
    p.add_argument(
        '--images',
        type=int,
        help='training images (default: the protocol\'s 20,000; 0: all '
        '60,000)')
    p.add_argument(
        '--epochs', type=int, help='epochs (default: the protocol\'s 30)')
    p.add_argument('--address', help='an existing Ray cluster (e.g. auto)')
    p.add_argument('--cpus-per-trial', type=float, default=1)
    p.add_argument('--gpus-per-trial', type=float, default=0)
    p.add_argument(
        '--max-concurrent',
        type=int,
        default=0,
        help='0: as many as the resources allow')
    p.add_argument(
        '--dry-run',
        action='store_true',
        help='print the pending runs and their commands; run nothing')
    p.add_argument(
        '--backfill',
        action='store_true',
        help='add the per-epoch curves to the selected runs\' result files '
        'written without them, from their work dirs (with --dry-run: list '
        'them); train nothing')
    p.add_argument(
        '--cfg-options',
        nargs='+',
        default=[],
        help='extra key=value options for every run (after the method\'s)')
    return p.parse_args()


def pending_runs(args, finished: bool = False) -> list:
    """The runs without a result file (``finished``: with one), in grid
    order."""
    for opt in ('images', 'epochs'):
        value = getattr(args, opt)
        if value is not None and value < (0 if opt == 'images' else 1):
            raise SystemExit(f'--{opt} {value}: give a count >= '
                             f'{0 if opt == "images" else 1}')
    if (args.data_root or args.images is not None
            or args.epochs is not None) and osp.abspath(
                args.records) in (osp.abspath(RECORDS), osp.join(
                    ROOT, RECORDS)):
        raise SystemExit('--data-root / --images / --epochs: give --records '
                         'a folder of its own (the result files do not '
                         'record their scale, and the protocol\'s would '
                         'be skipped or mixed)')
    scale = dict(
        data_root=args.data_root and osp.abspath(args.data_root),
        images=args.images,
        epochs=args.epochs)
    runs = []
    for method in args.methods:
        for noise in args.noise:
            if noise == CLEAN and method != 'ce':
                continue  # the reference row is CE only
            for seed in args.seeds:
                spec = run_spec(method, noise, seed,
                                osp.abspath(args.work_root),
                                osp.abspath(args.records), args.cfg_options,
                                scale)
                if osp.exists(spec['record']) == finished:
                    runs.append(spec)
    return runs


def main():
    args = parse_args()
    if CLEAN in args.noise and 'ce' not in args.methods:
        raise SystemExit(f'--noise {CLEAN}: the clean reference row is CE; '
                         'add ce to --methods')
    if args.backfill:
        done, mismatched = backfill(
            pending_runs(args, finished=True), write=not args.dry_run)
        for path in done:
            print(('would add the curves to ' if args.dry_run else '') + path)
        print(f'{len(done)} result file(s) '
              f'{"would gain" if args.dry_run else "gained"} their curves')
        if mismatched:
            raise SystemExit('--backfill: these work dirs are not the runs '
                             'of their result files (left as they are):\n' +
                             '\n'.join(mismatched))
        return
    runs = pending_runs(args)
    print(f'{len(runs)} run(s) to do', flush=True)
    if args.dry_run or not runs:
        for spec in runs:
            print(' '.join(command(spec)))
        return
    import ray
    from ray import tune
    ray.init(
        address=args.address, include_dashboard=False, log_to_driver=False)
    threads = max(1, int(args.cpus_per_trial))
    resources = dict(cpu=args.cpus_per_trial, gpu=args.gpus_per_trial)
    tuner = tune.Tuner(
        tune.with_resources(trial, resources),
        param_space=dict(run=tune.grid_search(runs), threads=threads),
        tune_config=tune.TuneConfig(
            max_concurrent_trials=args.max_concurrent or None),
        run_config=tune.RunConfig(
            name='benchmark_grid',
            storage_path=osp.join(osp.abspath(args.work_root), 'ray'),
            verbose=1))
    results = tuner.fit()
    failed = [r for r in results if r.error]
    for r in failed:
        print(f'FAILED: {r.error}', file=sys.stderr)
    done = sum(osp.exists(s['record']) for s in runs)
    print(f'{done} of {len(runs)} run(s) finished; result files in '
          f'{args.records}')
    if failed:
        raise SystemExit(1)


if __name__ == '__main__':
    main()
