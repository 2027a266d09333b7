# Copyright (c) lnl_mm contributors. All rights reserved.
"""Choose between finished runs of one method (two published settings, a
small sweep) by their accuracy on held-out *noisy* labels.

Each ``NAME=WORK_DIR`` is a finished training run (a benchmark grid work
dir, a ``tools/train.py`` work dir). Its last checkpoint is tested on
images of its training file that it did not train on: the ``--images``
images after the first ``indices`` its noisy training set takes (the
benchmark protocol trains on the first 20,000 of Fashion-MNIST's 60,000, so
by default images 20,000-29,999), labelled by the run's own noise: the same
``NoisyLabelDataset`` noise and seed on those images (wrappers between the
noisy set and the image file, e.g. the clean-data methods' meta split, are
left out: the images after the first N are in neither split). Only
class-conditional noise (:data:`CLASS_CONDITIONAL`) is held out this way:
an instance-dependent generator draws its projection after per-sample rates
and standardises its features over the set it is given, so on other images
it is not the run's noise. The score is the accuracy against those noisy
labels; the selection never sees a clean label. Under symmetric noise it
rises with the clean accuracy (by 1/9 of it at 80 % over 10 classes), so the
pick is, in expectation, the run a clean test would pick; the table gives
each score's binomial standard error and says when the best two are within
two standard errors of their difference (then no pick is made: more
``--images`` or seeds). The clean test accuracy of each run's summary is
printed beside it, for reference only.

Prints a table and the pick; ``--out`` writes both as JSON.

Example:
    python tools/benchmarks/holdout_select.py \\
        alfs_code=work_dirs/benchmark/nce/sym80/seed0 \\
        apl_code=work_dirs/benchmark_presets/apl_code/nce/sym80/seed0
"""
import argparse
import copy
import json
import math
import os
import os.path as osp
import tempfile
from typing import Dict, List, Optional, Tuple

from mmengine.config import Config

import lnl_mm  # noqa: F401  (registration)
from lnl_mm.engine.utils.config_utils import use_test_pipeline
from lnl_mm.utils.checkpoint import resolve_checkpoint
from lnl_mm.utils.launch import build_runner
from lnl_mm.utils.work_dir import dumped_config

#: Noise types whose labels depend on each sample's class alone: the same
#: generator and seed give other images the run's noise.
CLASS_CONDITIONAL = ('symmetric', 'symmetric_global', 'symmetric_inclusive',
                     'asymmetric', 'pairflip', 'random_flip', 'transition')


def run_config(work_dir: str) -> Config:
    """The config a finished run dumped into its work dir."""
    path = dumped_config(work_dir)
    if path is None:
        raise SystemExit(f'{work_dir}: expected the one config file a run '
                         'dumps there')
    return Config.fromfile(path)


def heldout_dataset(cfg: Config, images: int) -> Dict:
    """The run's noisy training set moved to the ``images`` images after
    its own, with the test pipeline (no augmentation)."""
    train = cfg.train_dataloader.dataset
    if train.get('type') != 'NoisyLabelDataset':
        raise SystemExit('holdout_select: the run\'s training set must be a '
                         'NoisyLabelDataset (its labels are the noise to '
                         f'hold out), got {train.get("type")!r}')
    heldout = copy.deepcopy(train.to_dict())
    kind = heldout.get('noise', {}).get('type')
    if kind not in CLASS_CONDITIONAL:
        raise SystemExit(f'holdout_select: noise type {kind!r} is not '
                         'class-conditional, so the same generator on other '
                         'images is not the run\'s noise; supported: ' +
                         ', '.join(CLASS_CONDITIONAL))
    inner = heldout['dataset']
    while 'dataset' in inner:  # a split of the file (the meta set): drop it
        inner = inner['dataset']
    first = inner.get('indices')
    if isinstance(first, bool) or not isinstance(first, int) or first < 1:
        raise SystemExit('holdout_select: the run must train on the first N '
                         'images of its file (indices=N) so that the images '
                         f'after them are unseen; got indices={first!r}')
    if images < 1:
        raise SystemExit(f'--images must be >= 1, got {images}')
    heldout['dataset'] = dict(
        inner, indices=list(range(first, first + images)))
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
    cfg.log_level = 'WARNING'
    with tempfile.TemporaryDirectory(prefix='holdout_select_') as tmp:
        cfg.work_dir = tmp
        cfg.experiment_name = f'holdout_select_{osp.basename(tmp)}'
        try:
            metrics = build_runner(cfg).test()
        except IndexError:
            raise SystemExit(f'--images {images}: {work_dir}\'s image file '
                             'has fewer images after its training ones')
    return float(metrics['accuracy/top1'])


def standard_error(accuracy: float, images: int) -> float:
    """The binomial standard error (points) of an accuracy (%)."""
    return math.sqrt(accuracy * (100 - accuracy) / images)


def choose(results: Dict[str, Dict]) -> Optional[str]:
    """The run with the best held-out score, or None when the best two are
    within two standard errors of their difference."""
    ranked = sorted(results, key=lambda n: -results[n]['heldout_noisy'])
    if len(ranked) > 1:
        a, b = results[ranked[0]], results[ranked[1]]
        gap = a['heldout_noisy'] - b['heldout_noisy']
        if gap < 2 * math.hypot(a['heldout_se'], b['heldout_se']):
            return None
    return ranked[0]


def clean_last(work_dir: str) -> Optional[float]:
    """The run's last-epoch clean test accuracy (its summary), or None."""
    path = osp.join(work_dir, 'summary.json')
    if not osp.isfile(path):
        return None
    with open(path) as f:
        return json.load(f).get('last')


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
    results = {}
    for name, work_dir in runs:
        score = heldout_accuracy(work_dir, args.images)
        results[name] = dict(
            work_dir=work_dir,
            heldout_noisy=round(score, 3),
            heldout_se=round(standard_error(score, args.images), 3),
            clean_test_last=clean_last(work_dir))
    pick = choose(results)
    if pick is None:
        print('the best two are within two standard errors of their '
              'difference: no pick; hold out more --images or add seeds')
    print(f'| run | held-out noisy labels ({args.images} images) | '
          'clean test, last epoch (reference only) |')
    print('| --- | --- | --- |')
    for name, r in results.items():
        mark = ' **picked**' if name == pick else ''
        clean = r['clean_test_last']
        print(f'| {name}{mark} | {r["heldout_noisy"]:.2f} ± '
              f'{r["heldout_se"]:.2f} | '
              f'{"–" if clean is None else f"{clean:.2f}"} |')
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
