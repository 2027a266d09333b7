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
  per-epoch records of one training run (``TrainingDynamicsHook``; every
  epoch recorded). Ranked by AUM, lowest first; flagged: AUM below
  ``--aum-threshold`` (default 0: on average over training the given label
  was not the top class); suggested label: the class most often predicted
  over the epochs other than the given one (a wrong label is predicted as
  its true class before it is memorised).

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
"""
import argparse
import csv
import json
import os
import os.path as osp

import numpy as np
from mmengine.config import Config

METHODS = ('cleanlab', 'aum')


def parse_args():
    p = argparse.ArgumentParser(
        description=' '.join(__doc__.split('\n\n')[0].split()))
    p.add_argument(
        'source',
        help='cleanlab: the work dir of kfold_predict.py; aum: the work dir '
        'of a training run')
    p.add_argument('--method', choices=METHODS, default='cleanlab')
    p.add_argument(
        '--config',
        help='the training config (images and paths of the samples); '
        'default: kfold.json\'s, or the config dumped in the run\'s work dir')
    p.add_argument(
        '--aum-threshold',
        type=float,
        default=0.0,
        help='aum: flag AUM below this (default 0)')
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


def from_records(source: str, threshold: float):
    """``(sample_idx, given, suggested, score, flagged, clean)`` by AUM on
    a run's per-epoch records."""
    from lnl_mm.evaluation import (aligned_records, area_under_margin,
                                   load_epoch_records)
    records = load_epoch_records(source)
    idx, aum, _ = area_under_margin(records)
    _, aligned = aligned_records(records)
    last = aligned[max(aligned)]
    given = np.asarray(last['given'])
    clean = np.asarray(last['clean']) if 'clean' in last else None
    # the class most often predicted over training other than the given
    # label (a wrong label is predicted as its true class before it is
    # memorised); the given label if no epoch predicted another
    num_classes = int(max(r['pred'].max() for r in aligned.values())) + 1
    num_classes = max(num_classes, int(given.max()) + 1)
    votes = np.zeros((idx.size, num_classes), dtype=np.int64)
    for rec in aligned.values():
        votes[np.arange(idx.size), rec['pred']] += 1
    votes[np.arange(idx.size), given] = 0
    suggested = np.where(votes.max(1) > 0, votes.argmax(1), given)
    return idx, given, suggested, -aum, aum < threshold, clean


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
    if not osp.isdir(args.source):
        raise SystemExit(f'{args.source} is not a directory')
    if args.write_labels and not args.write_labels.endswith('.npy'):
        raise SystemExit('--write-labels must name a .npy file, got '
                         f'{args.write_labels!r}')
    from mmengine.registry import init_default_scope
    from mmpretrain.registry import DATASETS

    import lnl_mm  # noqa: F401
    from lnl_mm.datasets.wrappers import find_noisy_dataset, info_image
    from lnl_mm.evaluation import detection_metrics, plot_sample_grid
    if args.method == 'cleanlab':
        idx, given, suggested, score, flagged, clean = from_kfold(args.source)
    else:
        idx, given, suggested, score, flagged, clean = from_records(
            args.source, args.aum_threshold)
    cfg = config_of(args)
    init_default_scope(cfg.get('default_scope', 'mmpretrain'))
    dataset = find_noisy_dataset(DATASETS.build(cfg.train_dataloader.dataset))
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
        num_flagged=int(flagged.sum()))
    if clean is not None:
        known = clean >= 0
        report.update(
            detection_metrics(score[known], flagged[known], (given
                                                             != clean)[known]))
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
                     for k, v in report.items())
    print(f'{line}; wrote {osp.join(out_dir, "label_issues.csv")}')


if __name__ == '__main__':
    main()
