# Copyright (c) lnl_mm contributors. All rights reserved.
"""Which training labels are wrong? A ranked list of suspects, a picture of
the top ones, and, where the clean labels are known, how well they were
found.

Two methods:

- ``cleanlab`` (confident learning, Northcutt et al., JAIR 2021, through
  ``cleanlab.filter.find_label_issues``): from out-of-sample predicted
  probabilities, the output of ``kfold_predict.py``. Flagged: the samples
  cleanlab's confident joint puts off the diagonal; ranked by
  self-confidence (the out-of-sample probability of the given label,
  lowest first); suggested label: the most probable class.
- ``aum`` (area under the margin, Pleiss et al., NeurIPS 2020): from the
  per-epoch records of a training run (``TrainingDynamicsHook``; every
  epoch recorded). Ranked by AUM, lowest first. Flagged, as the paper
  does, by *threshold samples* when the run has them
  (``ThresholdSampleDataset``: N / (C + 1) samples relabelled to an extra
  class): AUM below their 99th percentile; give the two runs of two
  disjoint threshold sets, and a sample is flagged when every run that
  judged it (it was not its threshold sample) flags it. Without threshold
  samples: AUM below ``--aum-threshold`` (default 0: on average over
  training the given label was not the top class). Suggested label: the
  class most often predicted over the epochs other than the given one (a
  wrong label is predicted as its true class before it is memorised).
  ``--aum-epochs K`` averages the first K epochs only: the official AUM
  runs train at a constant learning rate for about as long as a normal run
  trains before its first drop, before the network memorises the wrong
  labels; a decaying schedule memorises them late in the run.

Outputs in ``--out-dir`` (default: the source directory):
``label_issues.csv`` (rank, sample_idx, path where the dataset has one,
given, suggested, score, flagged, method), ``label_issues.png`` (the top
suspects, titled with given and suggested labels, framed red where the
given label is known to be wrong) and ``label_issues.json`` (counts and,
with clean labels, precision, recall and AUROC of the detection).
``--write-labels FILE.npy`` writes the given labels with every flagged
sample's replaced by its suggestion, for ``noise=dict(type='from_file',
path=FILE.npy)``: find, fix, retrain.

Examples:
    python tools/analysis_tools/find_label_issues.py work_dirs/kfold_digits
    python tools/analysis_tools/find_label_issues.py work_dirs/run \\
        --method aum --config CONFIG
    python tools/analysis_tools/find_label_issues.py work_dirs/thr0 \\
        work_dirs/thr1 --method aum
"""
import argparse
import csv
import json
import os
import os.path as osp
from typing import Optional

import numpy as np
from mmengine.config import Config

METHODS = ('cleanlab', 'aum')


def parse_args():
    p = argparse.ArgumentParser(
        description=' '.join(__doc__.split('\n\n')[0].split()))
    p.add_argument(
        'sources',
        nargs='+',
        metavar='source',
        help='cleanlab: the work dir of kfold_predict.py; aum: the work dir '
        'of a training run, or of several runs of the same training set '
        '(the two threshold-sample runs)')
    p.add_argument('--method', choices=METHODS, default='cleanlab')
    p.add_argument(
        '--config',
        help='the training config (images and paths of the samples); '
        'default: kfold.json\'s, or the config dumped in the run\'s work dir')
    p.add_argument(
        '--aum-threshold',
        type=float,
        help='aum without threshold samples: flag AUM below this (default '
        '0); with them, their 99th percentile is the threshold')
    p.add_argument(
        '--aum-epochs',
        type=int,
        metavar='K',
        help='aum: the margins of the first K epochs only (the official AUM '
        'runs train at a constant learning rate, as long as a normal run '
        'trains before its first drop, so that the network does not yet '
        'memorise); default: every recorded epoch')
    p.add_argument(
        '--top', type=int, default=32, help='suspects in the figure')
    p.add_argument('--out-dir', help='default: the source directory')
    p.add_argument(
        '--write-labels',
        metavar='FILE.npy',
        help='write the given labels with the flagged ones replaced by the '
        'suggestion')
    return p.parse_args()


def from_kfold(source: str):
    """``(sample_idx, given, suggested, score, flagged, clean)`` by
    confident learning on ``kfold_predict.py``'s probabilities."""
    try:
        from cleanlab.filter import find_label_issues
    except ImportError:
        raise SystemExit('--method cleanlab needs cleanlab: pip install '
                         'cleanlab') from None
    probs = np.load(osp.join(source, 'pred_probs.npy'))
    given = np.load(osp.join(source, 'given.npy'))
    if not np.isfinite(probs).all():
        raise SystemExit(f'{source}: pred_probs.npy has rows without a '
                         'prediction; finish kfold_predict.py first')
    clean_path = osp.join(source, 'clean.npy')
    clean = np.load(clean_path) if osp.exists(clean_path) else None
    flagged = np.zeros(given.size, dtype=bool)
    flagged[find_label_issues(
        labels=given,
        pred_probs=probs,
        return_indices_ranked_by='self_confidence')] = True
    score = 1.0 - probs[np.arange(given.size), given]
    return np.arange(given.size), given, probs.argmax(1), score, flagged, clean


def _read_run(source: str, epochs: Optional[int] = None) -> dict:
    """One run's AUM, records (aligned; the first ``epochs`` epochs, or
    all) and threshold samples (from its noise manifest, where
    ``ThresholdSampleDataset`` put them)."""
    from lnl_mm.evaluation import (aligned_records, area_under_margin,
                                   load_epoch_records)
    records = load_epoch_records(source)
    if epochs is not None:
        kept = {e: r for e, r in records.items() if e <= epochs}
        if len(kept) < epochs:
            raise SystemExit(
                f'--aum-epochs {epochs}: {source} recorded epochs '
                f'{sorted(records)}, not all of 1..{epochs}')
        records = kept
    idx, aum, _ = area_under_margin(records)
    _, aligned = aligned_records(records)
    manifest = osp.join(source, 'noise_manifest.json')
    threshold = None
    if osp.exists(manifest):
        with open(manifest) as f:
            threshold = json.load(f).get('threshold_samples')
    is_threshold = np.zeros(idx.size, dtype=bool)
    if threshold is not None:
        is_threshold = np.isin(idx, threshold['indices'])
    return dict(
        source=source,
        idx=idx,
        aum=aum,
        records=aligned,
        threshold=threshold,
        is_threshold=is_threshold)


def from_records(sources, threshold, epochs: Optional[int] = None):
    """``(sample_idx, given, suggested, score, flagged, clean, report)`` by
    AUM on the per-epoch records of one or more runs of the same training
    set: with threshold samples, each run flags by its own (below their
    99th percentile) and a sample is flagged when every run that judged it
    did; without, the AUM averaged over the runs is compared with
    ``threshold``. ``epochs``: the first epochs only (``--aum-epochs``)."""
    from lnl_mm.evaluation import (combine_threshold_runs,
                                   worse_than_threshold_samples)
    runs = [_read_run(s, epochs) for s in sources]
    idx = runs[0]['idx']
    for run in runs[1:]:
        if not np.array_equal(run['idx'], idx):
            raise SystemExit(f'{run["source"]} recorded other samples than '
                             f'{sources[0]}: not runs of one training set')
    with_threshold = [r['threshold'] is not None for r in runs]
    if any(with_threshold) and not all(with_threshold):
        raise SystemExit('mix of runs with and without threshold samples '
                         '(ThresholdSampleDataset): give one kind')
    report = dict(runs=len(runs), aum_epochs=epochs)
    judged = [~r['is_threshold'] for r in runs]
    # a sample's score: its AUM averaged over the runs that judged it
    weight = np.stack(judged).astype(np.float64)
    aum = (np.stack([r['aum'] for r in runs]) * weight).sum(0) / np.maximum(
        weight.sum(0), 1)
    if all(with_threshold):
        if threshold is not None:
            raise SystemExit('--aum-threshold: these runs have threshold '
                             'samples, which set the threshold')
        flags = []
        report['threshold_samples'] = []
        for run in runs:
            thr = run['aum'][run['is_threshold']]
            flags.append(worse_than_threshold_samples(run['aum'], thr))
            report['threshold_samples'].append(
                dict(
                    source=run['source'],
                    threshold_set=run['threshold']['threshold_set'],
                    num=int(thr.size),
                    aum_99th_percentile=float(np.percentile(thr, 99))))
        flagged, keep = combine_threshold_runs(flags, judged)
    else:
        threshold = 0.0 if threshold is None else threshold
        report['aum_threshold'] = threshold
        keep = np.ones(idx.size, dtype=bool)
        flagged = aum < threshold
    # the given label of a sample, from a run it was not a threshold sample
    # of (in that run it is the extra class)
    given = np.full(idx.size, -1, dtype=np.int64)
    clean = None
    for run, ok in zip(runs, judged):
        last = run['records'][max(run['records'])]
        given = np.where((given < 0) & ok, last['given'], given)
        if 'clean' in last:
            clean = np.asarray(last['clean'])
    # the class most often predicted over training other than the given
    # label (a wrong label is predicted as its true class before it is
    # memorised); the given label if no epoch predicted another
    extra = [r['threshold']['extra_class'] for r in runs if r['threshold']]
    num_classes = 1 + max(
        int(rec['pred'].max()) for r in runs for rec in r['records'].values())
    num_classes = max(num_classes, int(given.max()) + 1)
    votes = np.zeros((idx.size, num_classes), dtype=np.int64)
    for run in runs:
        for rec in run['records'].values():
            votes[np.arange(idx.size), rec['pred']] += 1
    votes[np.arange(idx.size), np.maximum(given, 0)] = 0
    votes[:, extra] = 0  # no image belongs to the extra class
    suggested = np.where(votes.max(1) > 0, votes.argmax(1), given)
    report['num_not_judged'] = int((~keep).sum())
    k = keep
    return (idx[k], given[k], suggested[k], -aum[k], flagged[k],
            None if clean is None else clean[k], report)


def config_of(args) -> Config:
    """The training config: ``--config``, or ``kfold.json``'s with its
    ``--cfg-options``, or the one dumped in the run's work dir."""
    if args.config:
        return Config.fromfile(args.config)
    kfold = osp.join(args.source, 'kfold.json')
    if osp.exists(kfold):
        from lnl_mm.utils.launch import hooks_by_name
        with open(kfold) as f:
            meta = json.load(f)
        cfg = Config.fromfile(meta['config'])
        if meta.get('cfg_options'):
            cfg.merge_from_dict(hooks_by_name(cfg, meta['cfg_options']))
        return cfg
    dumped = [f for f in os.listdir(args.source) if f.endswith('.py')]
    if len(dumped) != 1:
        raise SystemExit('give --config (the training config): found '
                         f'{dumped or "no"} config in {args.source}')
    return Config.fromfile(osp.join(args.source, dumped[0]))


def main():
    args = parse_args()
    for source in args.sources:
        if not osp.isdir(source):
            raise SystemExit(f'{source} is not a directory')
    if args.aum_epochs is not None and (args.method != 'aum'
                                        or args.aum_epochs < 1):
        raise SystemExit('--aum-epochs takes an int >= 1 with --method aum, '
                         f'got --aum-epochs {args.aum_epochs} with --method '
                         f'{args.method}')
    if args.method == 'cleanlab' and len(args.sources) > 1:
        raise SystemExit('--method cleanlab reads one kfold_predict.py work '
                         f'dir, got {len(args.sources)}')
    args.source = args.sources[0]
    if args.write_labels and not args.write_labels.endswith('.npy'):
        raise SystemExit('--write-labels must name a .npy file, got '
                         f'{args.write_labels!r}')
    from mmengine.registry import init_default_scope
    from mmpretrain.registry import DATASETS

    import lnl_mm  # noqa: F401
    from lnl_mm.datasets.wrappers import find_noisy_dataset, info_image
    from lnl_mm.evaluation import (detection_metrics, fix_effect,
                                   plot_sample_grid)
    if args.method == 'cleanlab':
        idx, given, suggested, score, flagged, clean = from_kfold(args.source)
        extra = {}
    else:
        idx, given, suggested, score, flagged, clean, extra = from_records(
            args.sources, args.aum_threshold, args.aum_epochs)
        if args.write_labels and extra['num_not_judged']:
            raise SystemExit(
                f'--write-labels: {extra["num_not_judged"]} samples were '
                'threshold samples of every run and have no verdict; give '
                'the runs of two disjoint threshold sets')
    cfg = config_of(args)
    init_default_scope(cfg.get('default_scope', 'mmpretrain'))
    dataset = find_noisy_dataset(DATASETS.build(cfg.train_dataloader.dataset))
    # a threshold-sample run: the labels judged are those of the wrapped set
    dataset = getattr(dataset, 'noisy_dataset', dataset)
    if dataset is None or len(dataset) < int(idx.max()) + 1:
        raise SystemExit('the config\'s training set is not the noisy '
                         'dataset these scores are of')
    if not np.array_equal(np.asarray(dataset.noisy_labels)[idx], given):
        raise SystemExit('the config\'s training labels differ from the '
                         'scored ones: give the config the scores were made '
                         'with (--config)')
    names = list(getattr(dataset, 'CLASSES', None) or [])

    def name(c):
        return str(names[c]) if 0 <= c < len(names) else str(c)

    out_dir = args.out_dir or args.source
    os.makedirs(out_dir, exist_ok=True)
    rank = np.argsort(-score, kind='stable')
    with open(osp.join(out_dir, 'label_issues.csv'), 'w', newline='') as f:
        w = csv.writer(f)
        w.writerow([
            'rank', 'sample_idx', 'path', 'given', 'suggested', 'score',
            'flagged', 'method'
        ])
        for r, i in enumerate(rank, 1):
            info = dataset.get_data_info(int(idx[i]))
            w.writerow([
                r,
                int(idx[i]),
                info.get('img_path', ''),
                name(int(given[i])),
                name(int(suggested[i])), f'{score[i]:.6g}',
                int(flagged[i]), args.method
            ])
    report = dict(
        method=args.method,
        num_samples=int(idx.size),
        num_flagged=int(flagged.sum()),
        **extra)
    if clean is not None:
        known = clean >= 0
        report.update(
            detection_metrics(score[known], flagged[known], (given
                                                             != clean)[known]))
        # what --write-labels writes, against the clean labels
        report.update(
            fix_effect(given[known], suggested[known], flagged[known],
                       clean[known]))
    with open(osp.join(out_dir, 'label_issues.json'), 'w') as f:
        json.dump(report, f, indent=1)
    top = rank[:args.top]
    images, titles, wrong = [], [], []
    for i in top:
        images.append(info_image(dataset.get_data_info(int(idx[i]))))
        titles.append(f'#{int(idx[i])} given {name(int(given[i]))}\n'
                      f'suggested {name(int(suggested[i]))}')
        wrong.append(bool(clean is not None and given[i] != clean[i]))
    plot_sample_grid(images, titles, wrong,
                     osp.join(out_dir, 'label_issues.png'))
    if args.write_labels:
        fixed = np.asarray(dataset.noisy_labels).copy()
        fixed[idx[flagged]] = suggested[flagged]
        np.save(args.write_labels, fixed.astype(np.int64))
        print(f'wrote {args.write_labels}: {int(flagged.sum())} labels '
              'replaced')
    line = ', '.join(f'{k} {v:.4f}' if isinstance(v, float) else f'{k} {v}'
                     for k, v in report.items()
                     if not isinstance(v, (list, dict)))
    print(f'{line}; wrote {osp.join(out_dir, "label_issues.csv")}')


if __name__ == '__main__':
    main()
