# Copyright (c) lnl_mm contributors. All rights reserved.
"""Sweep config options with Ray Tune; select on held-out noisy data.

Every trial is a full MMEngine run of CONFIG with one combination of the
``--param`` values and one seed. Training uses ``1 - holdout`` of the noisy
training set; the trial is scored on the remaining ``holdout`` share against
its *given* (noisy) labels -- the selection never sees a clean label. After
training, each trial also evaluates the clean test set once; that number is
reported beside the selection, never used for it.

Outputs in the work dir: ``results.md`` and ``results.csv`` (mean ± std over
seeds, best first), ``results.png`` and one MMEngine work dir per trial.
Ray is an optional dependency (``pip install "ray[tune]"``); trials run on a
local Ray instance, or on an existing cluster with ``--address``.

Example:
    python tools/tune.py configs/sln/sln_smallcnn_1xb64-40e_digits-sym40.py \\
        --param model.head.loss.sigma=0.1,0.2,0.5,1.0 --seeds 3
"""
import argparse
import csv
import json
import os
import os.path as osp
import sys

import _checkout  # noqa: F401  (this checkout's lnl_mm first)
from mmengine.config import DictAction


def parse_args():
    p = argparse.ArgumentParser(
        description=' '.join(__doc__.split('\n\n')[0].split()))
    p.add_argument('config')
    p.add_argument(
        '--param',
        action='append',
        required=True,
        help='key=v1,v2,... (repeatable; the grid is their '
        'product)')
    p.add_argument(
        '--seeds',
        type=int,
        default=1,
        help='seeds per combination (randomness.seed 0..n-1)')
    p.add_argument(
        '--holdout',
        type=float,
        default=0.1,
        help='held-out share of the noisy training set')
    p.add_argument(
        '--select',
        default='holdout',
        choices=['holdout', 'holdout_mean_last_k'],
        help='selection number: last-epoch holdout accuracy or '
        'its mean over the last k evaluations')
    p.add_argument('--work-dir', help='default: work_dirs/tune/<config>')
    p.add_argument('--address', help='an existing Ray cluster (e.g. auto)')
    p.add_argument('--cpus-per-trial', type=float, default=1)
    p.add_argument('--gpus-per-trial', type=float, default=0)
    p.add_argument(
        '--max-concurrent',
        type=int,
        default=0,
        help='0: as many as the resources allow')
    p.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='options for every trial, as in tools/train.py')
    return p.parse_args()


def train(cfg, report, metric: str) -> None:
    """Train, reporting every validation; the runner is freed on return."""
    from lnl_mm.engine.utils import TrialProgressHook
    from lnl_mm.utils.launch import build_runner
    runner = build_runner(cfg)
    runner.register_hook(TrialProgressHook(report, metric))
    runner.train()


def run_trial(trial_cfg: dict, setup: dict) -> None:
    """One MMEngine run (inside a Ray worker); reports to Ray Tune."""
    os.chdir(setup['cwd'])
    sys.path.insert(0, setup['root'])  # the driver's lnl_mm (its checkout)
    from mmengine.config import Config
    from ray import tune

    import lnl_mm  # noqa: F401
    from lnl_mm.engine.utils import (evaluate_last_checkpoint, holdout_config,
                                     holdout_metric)
    from lnl_mm.engine.utils.sweep import HOLDOUT_SUMMARY
    from lnl_mm.utils.launch import hooks_by_name
    params, seed = trial_cfg['params'], trial_cfg['seed']
    cfg = Config.fromfile(setup['config'])
    if setup['cfg_options']:
        cfg.merge_from_dict(hooks_by_name(cfg, setup['cfg_options']))
    cfg.merge_from_dict(hooks_by_name(cfg, dict(params)))
    cfg.merge_from_dict({'randomness.seed': seed})
    cfg = holdout_config(cfg, setup['holdout'], seed=0)
    name = '_'.join(f'{k.split(".")[-1]}{v}' for k, v in params.items())
    cfg.work_dir = osp.join(setup['work_dir'], 'trials', f'{name}_seed{seed}')
    cfg.experiment_name = f'{name}_seed{seed}'
    if cfg.get('launcher', 'none') != 'none':
        cfg.launcher = 'none'
    metric = holdout_metric(cfg)
    train(cfg, tune.report, metric)
    with open(osp.join(cfg.work_dir, HOLDOUT_SUMMARY)) as f:
        summary = json.load(f)
    # the model the selection saw (EMA for momentum-model configs): a fresh
    # runner on the last checkpoint, as tools/test.py
    test = evaluate_last_checkpoint(cfg)
    tune.report(
        dict(
            holdout=summary['last'],
            holdout_mean_last_k=summary['mean_last_k'],
            test=float(test.get(metric, float('nan'))),
            work_dir=cfg.work_dir,
            final=True))


def progress_callback(total_trials: int, total_epochs: int):
    """A Ray Tune callback (driver side) that prints each trial's epochs
    and an ETA for the whole sweep of ``total_epochs`` epochs."""
    import time

    from ray import tune

    class Progress(tune.Callback):

        def __init__(self):
            self.start = time.time()
            self.epochs = {}
            self.done = 0

        def on_trial_result(self, iteration, trials, trial, result, **info):
            cfg = trial.config
            name = ', '.join(f'{k.split(".")[-1]}={v}'
                             for k, v in cfg['params'].items())
            name = f'{name}, seed {cfg["seed"]}'
            if result.get('final'):
                self.done += 1
                print(
                    f'[{self.done}/{total_trials} trials done] {name}: '
                    f'holdout {result["holdout"]:.2f}, clean test '
                    f'{result["test"]:.2f}',
                    flush=True)
                return
            self.epochs[trial.trial_id] = result['epoch']
            seen = sum(self.epochs.values())
            total = total_epochs
            elapsed = time.time() - self.start
            eta = elapsed / max(seen, 1) * (total - seen)
            print(
                f'{name}: epoch {result["epoch"]}/{result["max_epochs"]}, '
                f'holdout {result["holdout"]:.2f} | sweep {seen}/{total} '
                f'epochs, {elapsed / 60:.1f} min, ETA {eta / 60:.1f} min',
                flush=True)

    return Progress()


def plot(rows, keys, path):
    """Bars of the holdout (selects) and clean test (not used) accuracy per
    combination, the selected one marked."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    import numpy as np
    selected = rows[0]
    rows = sorted(rows, key=lambda r: [str(r[k]) for k in keys])
    x = np.arange(len(rows))
    fig, ax = plt.subplots(figsize=(max(4.5, 1.2 * len(rows)), 3.8))
    for off, name, label in ((-0.2, 'holdout',
                              'held-out noisy labels (selects)'),
                             (0.2, 'test', 'clean test labels (not used)')):
        means = [r[f'{name}_mean'] for r in rows]
        bars = ax.bar(
            x + off,
            means,
            0.4,
            yerr=[r[f'{name}_std'] for r in rows],
            label=label)
        ax.bar_label(bars, [f'{m:.1f}' for m in means], fontsize=7)
    ax.set_xticks(
        x, [('★ ' if r is selected else '') +
            '\n'.join(f'{k.split(".")[-1]}={r[k]}' for k in keys)
            for r in rows],
        fontsize=8)
    ax.set_ylim(0, 105)
    ax.set_ylabel('accuracy (%)')
    ax.set_title(
        'sweep: ★ = selected on the held-out noisy labels', fontsize=9)
    ax.legend(
        fontsize=8,
        loc='upper center',
        bbox_to_anchor=(0.5, -0.18),
        ncol=2,
        frameon=False)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def main():
    args = parse_args()
    from lnl_mm.engine.utils import (aggregate, grid, markdown_table,
                                     parse_param)
    if args.seeds < 1:
        raise SystemExit(f'--seeds must be >= 1, got {args.seeds}')
    if not 0 < args.holdout < 1:
        raise SystemExit(f'--holdout must be in (0, 1), got {args.holdout}')
    try:
        params = [parse_param(p) for p in args.param]
    except ValueError as e:
        raise SystemExit(str(e))
    try:
        import ray
        from ray import tune
        from ray.tune.logger import CSVLoggerCallback, JsonLoggerCallback
    except ImportError:
        raise SystemExit('tools/tune.py needs Ray Tune: pip install '
                         '"ray[tune]"') from None
    keys = [k for k, _ in params]
    work_dir = osp.abspath(
        args.work_dir or osp.join('work_dirs', 'tune',
                                  osp.splitext(osp.basename(args.config))[0]))
    os.makedirs(work_dir, exist_ok=True)
    setup = dict(
        cwd=os.getcwd(),
        root=_checkout.ROOT,
        config=osp.abspath(args.config),
        cfg_options=args.cfg_options or {},
        holdout=args.holdout,
        work_dir=work_dir)
    from mmengine.config import Config

    from lnl_mm.quiet import start_ray
    from lnl_mm.utils.launch import hooks_by_name
    probe = Config.fromfile(args.config)
    if args.cfg_options:
        probe.merge_from_dict(hooks_by_name(probe, args.cfg_options))
    max_epochs = int(probe.train_cfg.get('max_epochs', 0))
    combos = grid(params)
    num_trials = len(combos) * args.seeds
    total_epochs = args.seeds * sum(
        int(c.get('train_cfg.max_epochs', max_epochs)) for c in combos)
    # Ray's JSON and CSV trial loggers, not its TensorBoard one (and so no
    # TensorBoard hint): each trial writes its own MMEngine logs.
    os.environ.setdefault('TUNE_DISABLE_AUTO_CALLBACK_LOGGERS', '1')
    start_ray(args.address)
    trainable = tune.with_resources(
        tune.with_parameters(run_trial, setup=setup), {
            'cpu': args.cpus_per_trial,
            'gpu': args.gpus_per_trial
        })
    space = dict(
        params=tune.grid_search(grid(params)),
        seed=tune.grid_search(list(range(args.seeds))))
    tuner = tune.Tuner(
        trainable,
        param_space=space,
        tune_config=tune.TuneConfig(
            metric=args.select,
            mode='max',
            max_concurrent_trials=args.max_concurrent or None),
        run_config=tune.RunConfig(
            name='ray',
            storage_path=work_dir,
            verbose=0,
            callbacks=[
                progress_callback(num_trials, total_epochs),
                JsonLoggerCallback(),
                CSVLoggerCallback()
            ]))
    print(
        f'{num_trials} trial(s), {total_epochs} epochs in all; results in '
        f'{work_dir}',
        flush=True)
    grid_results = tuner.fit()
    results, failed = [], []
    for res in grid_results:
        if res.error is not None or not res.metrics or \
                'holdout' not in res.metrics:
            failed.append(str(res.error))
            continue
        cfg = res.config
        results.append(
            dict(
                **cfg['params'],
                seed=cfg['seed'],
                **{
                    k: res.metrics[k]
                    for k in ('holdout', 'holdout_mean_last_k', 'test',
                              'work_dir')
                }))
    ray.shutdown()
    if failed:
        raise SystemExit(f'{len(failed)} trial(s) failed:\n' +
                         '\n'.join(failed))
    rows = aggregate(results, keys, args.select)
    table = markdown_table(rows, keys)
    with open(osp.join(work_dir, 'results.md'), 'w') as f:
        f.write(f'Sweep of `{args.config}`, selected on the {args.holdout:g} '
                f'held-out share of the noisy training data ({args.select})'
                f'; {args.seeds} seed(s).\n\n{table}\n')
    with open(osp.join(work_dir, 'results.csv'), 'w', newline='') as f:
        writer = csv.DictWriter(f, [
            *keys, 'seed', 'holdout', 'holdout_mean_last_k', 'test', 'work_dir'
        ])
        writer.writeheader()
        writer.writerows(
            sorted(
                results, key=lambda r: [str(r[k]) for k in (*keys, 'seed')]))
    plot(rows, keys, osp.join(work_dir, 'results.png'))
    print(table)
    best = ', '.join(f'{k}={rows[0][k]}' for k in keys)
    print(f'selected: {best} (on held-out noisy labels); results in '
          f'{work_dir}/results.md')


if __name__ == '__main__':
    main()
