# Copyright (c) lnl_mm contributors. All rights reserved.
"""Hyper-parameter sweeps selected on held-out *noisy* training data.

Pure helpers behind ``tools/tune.py`` (which runs the trials on Ray Tune):
parsing ``--param key=v1,v2``, rewriting a config so that validation runs
on a :class:`~lnl_mm.datasets.HoldoutSplitDataset` of the noisy training
set, and aggregating trial results over seeds.
"""
import copy
import itertools
import json
import math
import os.path as osp
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from mmengine.config import Config
from mmengine.hooks import Hook

from ...utils.checkpoint import resolve_checkpoint
from .config_utils import use_test_pipeline

HOLDOUT_SUMMARY = 'summary_holdout.json'


def parse_value(text: str) -> Any:
    """``'3'`` -> 3, ``'0.5'`` -> 0.5, ``'true'`` -> True, ``'None'`` ->
    None, anything else stays a string."""
    low = text.strip().lower()
    if low in ('true', 'false'):
        return low == 'true'
    if low == 'none':
        return None
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    return text.strip()


def parse_param(spec: str) -> Tuple[str, List[Any]]:
    """``'a.b=0.1,0.2'`` -> ``('a.b', [0.1, 0.2])``."""
    key, sep, values = spec.partition('=')
    if not sep or not key or not values:
        raise ValueError(f'--param {spec!r}: expected key=value1,value2,...')
    parsed = [parse_value(v) for v in values.split(',') if v.strip()]
    if not parsed:
        raise ValueError(f'--param {spec!r}: no values')
    return key.strip(), parsed


def grid(params: Sequence[Tuple[str, List[Any]]]) -> List[Dict[str, Any]]:
    """Every combination of the parameter values, in order."""
    keys = [k for k, _ in params]
    return [
        dict(zip(keys, combo))
        for combo in itertools.product(*[v for _, v in params])
    ]


def holdout_config(cfg: Config,
                   ratio: float = 0.1,
                   seed: int = 0,
                   num_folds: Optional[int] = None,
                   fold: int = 0) -> Config:
    """Train on ``1 - ratio`` of the noisy training set, validate on the
    rest against its *given* labels (test pipeline), never on test labels.
    With ``num_folds``, the held-out part is fold ``fold`` of a stratified
    K-fold partition instead (``HoldoutSplitDataset``).

    The clean test set stays as ``test_dataloader`` for a final, reported
    but unused evaluation. The main ``AccuracySummaryHook`` writes
    ``summary_holdout.json``.
    """
    cfg = copy.deepcopy(cfg)
    train_ds = cfg.train_dataloader.dataset
    holdout_ds = copy.deepcopy(train_ds)
    use_test_pipeline(holdout_ds, cfg)
    split = dict(ratio=ratio, seed=seed)
    if num_folds is not None:
        split.update(num_folds=num_folds, fold=fold)
    cfg.train_dataloader.dataset = dict(
        type='HoldoutSplitDataset', dataset=train_ds, split='train', **split)
    val = copy.deepcopy(cfg.test_dataloader)
    val.dataset = dict(
        type='HoldoutSplitDataset',
        dataset=holdout_ds,
        split='holdout',
        **split)
    cfg.val_dataloader = val
    cfg.val_evaluator = copy.deepcopy(cfg.test_evaluator)
    for hook in cfg.get('custom_hooks', []):
        if hook.get('type') == 'AccuracySummaryHook' and \
                hook.get('filename', 'summary.json') == 'summary.json':
            hook['filename'] = HOLDOUT_SUMMARY
            hook['evaluated_on'] = 'held-out noisy labels'
    return cfg


class TrialProgressHook(Hook):
    """Reports every validation of a sweep trial (its epoch and holdout
    accuracy) through ``report``, e.g. ``ray.tune.report``, so that the
    driver can show per-epoch progress and an ETA.

    Args:
        report (callable): Receives a dict with ``epoch``, ``max_epochs``,
            ``holdout``, ``holdout_mean_last_k`` (the latest value while
            the trial runs), ``test`` (NaN until the end) and ``final``
            (False).
        metric (str): The validation metric. Defaults to
            ``'accuracy/top1'``.
    """

    priority = 'LOWEST'

    def __init__(self,
                 report: Callable[[dict], None],
                 metric: str = 'accuracy/top1'):
        self.report = report
        self.metric = metric

    def after_val_epoch(self, runner, metrics=None) -> None:
        value = float((metrics or {}).get(self.metric, math.nan))
        self.report(
            dict(
                epoch=runner.epoch,
                max_epochs=runner.max_epochs,
                holdout=value,
                holdout_mean_last_k=value,
                test=math.nan,
                final=False))


def evaluate_last_checkpoint(cfg: Config) -> Dict[str, float]:
    """Clean test metrics of the finished run in ``cfg.work_dir``, from its
    last checkpoint, exactly as ``tools/test.py`` computes them.

    A fresh runner loads the checkpoint. Calling ``runner.test()`` on the
    runner that trained is wrong for momentum-model (EMA) configs: the
    test runs ``before_run`` again, where MMEngine's ``EMAHook`` rebuilds
    its averaged copy from the *raw* weights, so the raw model would be
    tested while validation (and hence the selection) saw the EMA model.

    Args:
        cfg (Config): The trial's config (its ``work_dir`` holds the run).

    Returns:
        dict: The test metrics.

    Raises:
        ValueError: The last checkpoint is not of the epoch the holdout
            summary's last evaluation refers to.
    """
    import torch

    from ...utils.launch import build_runner
    path = resolve_checkpoint(cfg.work_dir)
    summary_path = osp.join(cfg.work_dir, HOLDOUT_SUMMARY)
    if osp.isfile(summary_path):
        with open(summary_path) as f:
            last = json.load(f).get('last_epoch')
        epoch = torch.load(
            path, map_location='cpu', weights_only=True).get('meta',
                                                             {}).get('epoch')
        if last is not None and epoch is not None and epoch != last:
            raise ValueError(
                f'the last checkpoint of {cfg.work_dir} is of epoch {epoch}, '
                f'but the holdout summary ends at epoch {last}: the test '
                'would not be of the selected model. Save a checkpoint at '
                'the last epoch (default_hooks.checkpoint.interval dividing '
                'train_cfg.max_epochs, or default_hooks.checkpoint.'
                'save_last=True)')
    test_cfg = copy.deepcopy(cfg)
    test_cfg.load_from = path
    test_cfg.resume = False
    test_cfg.experiment_name = f'{cfg.get("experiment_name", "run")}_test'
    runner = build_runner(test_cfg)
    metrics = runner.test()
    del runner
    return metrics


def holdout_metric(cfg: Config) -> str:
    """The metric the holdout summary of a :func:`holdout_config` records
    (``accuracy/top1`` unless the config's summary hook says otherwise,
    e.g. ``psnr``)."""
    for hook in cfg.get('custom_hooks', []):
        if hook.get('type') == 'AccuracySummaryHook' and hook.get(
                'filename') == HOLDOUT_SUMMARY:
            return hook.get('metric', 'accuracy/top1')
    return 'accuracy/top1'


def _stats(values: List[float]) -> Tuple[float, float]:
    values = [v for v in values if v is not None]
    if not values:
        return math.nan, math.nan
    mean = sum(values) / len(values)
    return mean, (sum((v - mean)**2 for v in values) / len(values))**0.5


def aggregate(results: List[Dict[str, Any]],
              keys: Sequence[str],
              metric: str = 'holdout') -> List[Dict[str, Any]]:
    """Group trial results by parameter values; mean ± std over seeds.

    Args:
        results: One dict per trial with the parameter values under their
            keys and the numbers ``holdout``, ``holdout_mean_last_k`` and
            ``test``.
        keys: The swept parameter keys.
        metric: The selection number. Defaults to ``'holdout'``.

    Returns:
        list[dict]: One row per combination, best (highest mean ``metric``)
        first, with ``<name>_mean``, ``<name>_std`` and ``seeds``.
    """
    groups: Dict[tuple, List[dict]] = {}
    for r in results:
        groups.setdefault(tuple(repr(r[k]) for k in keys), []).append(r)
    rows = []
    for trials in groups.values():
        row = {k: trials[0][k] for k in keys}
        for name in ('holdout', 'holdout_mean_last_k', 'test'):
            row[f'{name}_mean'], row[f'{name}_std'] = _stats(
                [t.get(name) for t in trials])
        row['seeds'] = len(trials)
        rows.append(row)
    rows.sort(key=lambda r: -r[f'{metric}_mean']
              if not math.isnan(r[f'{metric}_mean']) else math.inf)
    return rows


def markdown_table(rows: List[Dict[str, Any]], keys: Sequence[str]) -> str:
    """The aggregated rows as markdown; the first row is the selection."""
    head = [
        *keys, 'holdout acc (noisy labels, selects)', 'holdout mean of last k',
        'clean test acc (not used)', 'seeds'
    ]
    lines = [
        '| ' + ' | '.join(head) + ' |',
        '| ' + ' | '.join('---' for _ in head) + ' |'
    ]
    for i, r in enumerate(rows):
        cells = [f'**{r[k]}**' if i == 0 else str(r[k]) for k in keys]
        for name in ('holdout', 'holdout_mean_last_k', 'test'):
            cells.append(f'{r[name + "_mean"]:.2f} ± {r[name + "_std"]:.2f}')
        cells.append(str(r['seeds']))
        lines.append('| ' + ' | '.join(cells) + ' |')
    return '\n'.join(lines)
