# Copyright (c) lnl_mm contributors. All rights reserved.
"""Out-of-sample predicted probabilities for every training sample, by K-fold
cross-validation run as K ordinary trainings.

Training ``k`` fits the config on K - 1 folds of a stratified partition of
the (noisy) training set (``HoldoutSplitDataset(num_folds=K, fold=k)``) and
predicts fold ``k`` with the test pipeline, so no sample is predicted by a
model that trained on it. Each fold is a ``tools/train.py`` run in
``<work_dir>/fold_<k>``: a rerun skips finished folds and resumes an
interrupted one. The result, for ``find_label_issues.py``:

- ``pred_probs.npy`` ``(N, C)``: row ``i`` is sample ``i``'s out-of-sample
  probabilities (``sample_idx`` of the noisy wrapper);
- ``given.npy`` (the labels training saw), ``clean.npy`` (when the noise is
  synthetic), ``folds.npy``;
- ``kfold.json``: the config, K, the seed, each fold's accuracy on its
  held-out *given* labels.

The folds run one after the other, or with ``--address`` as Ray tasks
(``local``: a Ray instance here; ``auto`` or an address: a cluster, whose
nodes must all see the work dir), ``--cpus-per-fold`` / ``--gpus-per-fold``
each.

Example:
    python tools/analysis_tools/kfold_predict.py \\
        configs/noisy_baseline/ce_smallcnn_1xb64-30e_digits-sym40.py \\
        --folds 3 --work-dir work_dirs/kfold_digits
"""
import argparse
import json
import os
import os.path as osp
import subprocess
import sys

import numpy as np
from mmengine.config import Config, DictAction

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
PRED = 'pred.npz'


def parse_args():
    p = argparse.ArgumentParser(
        description=' '.join(__doc__.split('\n\n')[0].split()))
    p.add_argument('config')
    p.add_argument('--folds', type=int, default=5, help='K (default 5)')
    p.add_argument('--seed', type=int, default=0, help='seed of the partition')
    p.add_argument('--work-dir', help='default: work_dirs/kfold/<config name>')
    p.add_argument(
        '--address',
        help='run the folds as Ray tasks: "local" for a Ray instance on '
        'this machine, else the address of a cluster (e.g. auto); the work '
        'dir must be on a file system every node sees. Default: one after '
        'the other in this process')
    p.add_argument(
        '--cpus-per-fold',
        type=float,
        default=1,
        help='with --address: CPUs of a fold task')
    p.add_argument(
        '--gpus-per-fold',
        type=float,
        default=0,
        help='with --address: GPUs of a fold task')
    p.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config settings, as in tools/train.py')
    return p.parse_args()


def fold_config(cfg: Config, k: int, folds: int, seed: int) -> Config:
    """The config of training ``k``: train on the other folds, validate
    (and so select nothing: the last epoch is used) on fold ``k``."""
    from lnl_mm.engine.utils import holdout_config
    return holdout_config(cfg, seed=seed, num_folds=folds, fold=k)


def train_fold(path: str, work_dir: str) -> None:
    """``tools/train.py`` on the fold's config (resuming an interrupted
    run)."""
    resume = ['--resume'] if osp.exists(osp.join(work_dir,
                                                 'last_checkpoint')) else []
    proc = subprocess.run([
        sys.executable,
        osp.join(ROOT, 'tools/train.py'), path, '--work-dir', work_dir, *resume
    ],
                          stdout=open(work_dir + '.log', 'a'),
                          stderr=subprocess.STDOUT)
    if proc.returncode != 0:
        raise SystemExit(f'fold training failed, see {work_dir}.log')


def predict_fold(path: str, work_dir: str) -> dict:
    """The fold's last checkpoint on its held-out fold: ``sample_idx`` and
    logits, and the accuracy on the held-out given labels."""
    from mmengine.runner import Runner, load_checkpoint
    from mmpretrain.registry import MODELS

    from lnl_mm.engine.utils.predict import predict_logits
    from lnl_mm.utils import resolve_checkpoint
    cfg = Config.fromfile(path)
    model_cfg = cfg.model.copy()
    if cfg.get('data_preprocessor') is not None:
        model_cfg.setdefault('data_preprocessor', cfg.data_preprocessor)
    model = MODELS.build(model_cfg)
    load_checkpoint(
        model,
        resolve_checkpoint(work_dir),
        map_location='cpu',
        logger='silent')
    loader = Runner.build_dataloader(cfg.val_dataloader)
    idx, logits = predict_logits(model, loader)
    given = np.asarray(loader.dataset.get_gt_labels())
    return dict(
        sample_idx=idx,
        logits=logits,
        given=given,
        accuracy=float((logits.argmax(1) == given).mean()))


def run_fold(path: str, fold_dir: str) -> str:
    """Train fold ``path`` in ``fold_dir`` and write its predictions; the
    unit of work, run here or as a Ray task (a fresh worker process: the
    registries and the default scope are set up here)."""
    from mmengine.registry import init_default_scope

    import lnl_mm  # noqa: F401
    init_default_scope(
        Config.fromfile(path).get('default_scope', 'mmpretrain'))
    train_fold(path, fold_dir)
    pred = predict_fold(path, fold_dir)
    np.savez(
        osp.join(fold_dir, PRED),
        **{
            k: v
            for k, v in pred.items() if k != 'accuracy'
        },
        accuracy=pred['accuracy'])
    return fold_dir


def run_folds(todo, args) -> None:
    """``run_fold`` on every ``(path, fold_dir)`` of ``todo``: in turn, or
    as Ray tasks when ``--address`` is given."""
    if not args.address:
        for path, fold_dir in todo:
            print(f'training in {fold_dir}', flush=True)
            run_fold(path, fold_dir)
        return
    import ray

    from lnl_mm.quiet import start_ray
    start_ray(None if args.address == 'local' else args.address)
    task = ray.remote(
        num_cpus=args.cpus_per_fold, num_gpus=args.gpus_per_fold)(
            run_fold)
    try:
        pending = [task.remote(path, fold_dir) for path, fold_dir in todo]
        for _, fold_dir in todo:
            print(f'training in {fold_dir} (Ray task)', flush=True)
        while pending:
            done, pending = ray.wait(pending)
            for ref in done:
                print(f'finished {ray.get(ref)}', flush=True)
    finally:
        ray.shutdown()


def main():
    args = parse_args()
    if args.folds < 2:
        raise SystemExit(f'--folds must be >= 2, got {args.folds}')
    from mmengine.registry import init_default_scope
    from mmpretrain.registry import DATASETS

    import lnl_mm  # noqa: F401
    from lnl_mm.datasets.wrappers import find_noisy_dataset, given_labels
    from lnl_mm.datasets.wrappers.holdout_split_dataset import stratified_folds
    from lnl_mm.utils.launch import hooks_by_name
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(hooks_by_name(cfg, args.cfg_options))
    work_dir = osp.abspath(
        args.work_dir or osp.join('work_dirs', 'kfold',
                                  osp.splitext(osp.basename(args.config))[0]))
    os.makedirs(work_dir, exist_ok=True)
    init_default_scope(cfg.get('default_scope', 'mmpretrain'))
    full = DATASETS.build(cfg.train_dataloader.dataset)
    given = given_labels(full)
    noisy = find_noisy_dataset(full)
    folds = stratified_folds(given, args.folds, args.seed)
    num_classes = int(cfg.model.head.num_classes)
    probs = np.full((given.size, num_classes), np.nan, dtype=np.float32)
    accuracy = []
    todo = []
    for k in range(args.folds):
        fold_dir = osp.join(work_dir, f'fold_{k}')
        os.makedirs(fold_dir, exist_ok=True)
        if not osp.exists(osp.join(fold_dir, PRED)):
            path = osp.join(work_dir, f'fold_{k}.py')
            fold_config(cfg, k, args.folds, args.seed).dump(path)
            todo.append((path, fold_dir))
    print(f'{len(todo)} of {args.folds} folds to train', flush=True)
    run_folds(todo, args)
    for k in range(args.folds):
        pred_path = osp.join(work_dir, f'fold_{k}', PRED)
        with np.load(pred_path) as pred:
            idx = pred['sample_idx']
            # out of sample: exactly the fold's samples, none trained on
            if not np.array_equal(np.sort(idx), np.flatnonzero(folds == k)):
                raise SystemExit(f'fold {k}: its predictions are not exactly '
                                 'its held-out samples')
            if not np.array_equal(pred['given'], given[idx]):
                raise SystemExit(f'fold {k}: its labels differ from the '
                                 "training set's")
            z = pred['logits'].astype(np.float64)
            z = np.exp(z - z.max(axis=1, keepdims=True))
            probs[idx] = z / z.sum(axis=1, keepdims=True)
            accuracy.append(float(pred['accuracy']))
        print(
            f'fold {k + 1}/{args.folds}: accuracy on its held-out given '
            f'labels {accuracy[-1]:.4f}',
            flush=True)
    np.save(osp.join(work_dir, 'pred_probs.npy'), probs)
    np.save(osp.join(work_dir, 'given.npy'), given)
    np.save(osp.join(work_dir, 'folds.npy'), folds)
    if noisy is not None:
        np.save(
            osp.join(work_dir, 'clean.npy'), np.asarray(noisy.clean_labels))
    with open(osp.join(work_dir, 'kfold.json'), 'w') as f:
        json.dump(
            dict(
                config=osp.abspath(args.config),
                cfg_options=args.cfg_options or {},
                folds=args.folds,
                seed=args.seed,
                num_samples=int(given.size),
                heldout_given_accuracy=accuracy),
            f,
            indent=1)
    print(f'out-of-sample probabilities of {given.size} samples in '
          f'{osp.join(work_dir, "pred_probs.npy")}')


if __name__ == '__main__':
    main()
