# Copyright (c) lnl_mm contributors. All rights reserved.
"""Choose between finished runs of one method (two published settings, a
small sweep) by their accuracy on held-out *noisy* labels.

Each ``NAME=WORK_DIR`` is a finished training run (a benchmark grid work
dir, a ``tools/train.py`` work dir). Its last checkpoint is tested on
images of its training file that it did not train on: the ``--images``
images after the first ``indices`` its noisy training set takes (the
benchmark protocol trains on the first 20,000 of Fashion-MNIST's 60,000, so
by default images 20,000-29,999), labelled by the run's own noise: the same
``NoisyLabelDataset`` noise and seed on those images. The score is the
accuracy against those noisy labels; the selection never sees a clean label.
Under symmetric noise this accuracy rises with the clean accuracy, so the
pick is the run a clean test would pick, found without one. The clean test
accuracy of each run's summary is printed beside it, for reference only.

Prints a table and the pick; ``--out`` writes both as JSON.

Example:
    python tools/benchmarks/holdout_select.py \\
        alfs_code=work_dirs/benchmark/nce/sym80/seed0 \\
        apl_code=work_dirs/benchmark_presets/apl_code/nce/sym80/seed0
"""
import argparse
import copy
import glob
import json
import os
import os.path as osp
import tempfile
from typing import Dict, List, Tuple

from mmengine.config import Config

import lnl_mm  # noqa: F401  (registration)
from lnl_mm.engine.utils.config_utils import use_test_pipeline
from lnl_mm.utils.checkpoint import resolve_checkpoint
from lnl_mm.utils.launch import build_runner


def run_config(work_dir: str) -> Config:
    """The config a finished run dumped into its work dir."""
    found = sorted(glob.glob(osp.join(work_dir, '*.py')))
    if len(found) != 1:
        raise SystemExit(f'{work_dir}: expected the one config file a run '
                         f'dumps there, found {len(found)}')
    return Config.fromfile(found[0])


def heldout_dataset(cfg: Config, images: int) -> Dict:
    """The run's noisy training set moved to the ``images`` images after
    its own, with the test pipeline (no augmentation)."""
    train = cfg.train_dataloader.dataset
    if train.get('type') != 'NoisyLabelDataset':
        raise SystemExit('holdout_select: the run\'s training set must be a '
                         'NoisyLabelDataset (its labels are the noise to '
                         f'hold out), got {train.get("type")!r}')
    heldout = copy.deepcopy(train.to_dict())
    inner = heldout['dataset']
    first = inner.get('indices')
    if isinstance(first, bool) or not isinstance(first, int) or first < 1:
        raise SystemExit('holdout_select: the run must train on the first N '
                         'images of its file (indices=N) so that the images '
                         f'after them are unseen; got indices={first!r}')
    if images < 1:
        raise SystemExit(f'--images must be >= 1, got {images}')
    inner['indices'] = list(range(first, first + images))
    use_test_pipeline(heldout, cfg)
    return heldout


def heldout_accuracy(work_dir: str, images: int) -> float:
    """Top-1 accuracy (%) of the run's last checkpoint on held-out noisy
    labels."""
    cfg = run_config(work_dir)
    cfg.test_dataloader.dataset = heldout_dataset(cfg, images)
    cfg.test_evaluator = dict(type='Accuracy', topk=(1, ))
    cfg.load_from = resolve_checkpoint(work_dir)
    cfg.resume = False
    cfg.work_dir = tempfile.mkdtemp(prefix='holdout_select_')
    cfg.experiment_name = f'holdout_select_{osp.basename(cfg.work_dir)}'
    cfg.log_level = 'WARNING'
    metrics = build_runner(cfg).test()
    return float(metrics['accuracy/top1'])


def clean_last(work_dir: str) -> float:
    """The run's last-epoch clean test accuracy (its summary), or nan."""
    path = osp.join(work_dir, 'summary.json')
    if not osp.isfile(path):
        return float('nan')
    with open(path) as f:
        return float(json.load(f).get('last', float('nan')))


def parse_runs(specs: List[str]) -> List[Tuple[str, str]]:
    runs = []
    for spec in specs:
        name, sep, work_dir = spec.partition('=')
        if not sep or not name or not osp.isdir(work_dir):
            raise SystemExit(f'{spec!r}: give NAME=WORK_DIR of a finished run')
        runs.append((name, work_dir))
    if len({n for n, _ in runs}) != len(runs):
        raise SystemExit('holdout_select: the run names must differ')
    return runs


def main():
    p = argparse.ArgumentParser(
        description=' '.join(__doc__.split('\n\n')[0].split()))
    p.add_argument('runs', nargs='+', metavar='NAME=WORK_DIR')
    p.add_argument(
        '--images',
        type=int,
        default=10000,
        help='held-out images after the training ones (default 10,000)')
    p.add_argument('--out', help='JSON result file')
    args = p.parse_args()
    runs = parse_runs(args.runs)
    results = {
        name:
        dict(
            work_dir=work_dir,
            heldout_noisy=round(heldout_accuracy(work_dir, args.images), 3),
            clean_test_last=clean_last(work_dir))
        for name, work_dir in runs
    }
    pick = max(results, key=lambda n: results[n]['heldout_noisy'])
    print(f'| run | held-out noisy labels ({args.images} images) | '
          'clean test, last epoch (reference only) |')
    print('| --- | --- | --- |')
    for name, r in results.items():
        mark = ' **picked**' if name == pick else ''
        print(f'| {name}{mark} | {r["heldout_noisy"]:.2f} | '
              f'{r["clean_test_last"]:.2f} |')
    if args.out:
        os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
        with open(args.out, 'w') as f:
            json.dump(
                dict(images=args.images, pick=pick, runs=results),
                f,
                indent=1,
                sort_keys=True)
            f.write('\n')


if __name__ == '__main__':
    main()
