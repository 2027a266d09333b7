# Copyright (c) lnl_mm contributors. All rights reserved.
"""The realised noise transition matrix T = P(given | clean), from the run's
noise manifest, next to the model's confusion P(prediction | clean) on the
training set at one epoch (or for one checkpoint).

Example:
    python tools/analysis_tools/plot_transition.py work_dirs/demo --epoch 30
"""
import json
import os.path as osp
import sys

import numpy as np

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from _common import parser, records, source  # noqa: E402


def main():
    p = parser(' '.join(__doc__.split('\n\n')[0].split()))
    p.add_argument('--epoch', type=int, help='default: the last recorded')
    p.add_argument(
        '--manifest', help='noise_manifest.json (default: in the '
        'work dir)')
    args = p.parse_args()
    src = source(args)
    from lnl_mm.evaluation import confusion, plot_transition_pair
    recs = records(args, src)
    epoch = args.epoch if args.epoch is not None else max(recs)
    if epoch not in recs:
        raise SystemExit(f'--epoch {epoch} not recorded; recorded: '
                         f'{sorted(recs)}')
    rec = recs[epoch]
    if 'clean' not in rec:
        raise SystemExit('the training set has no clean labels: the '
                         'transition matrix is unknown')
    manifest_path = args.manifest or osp.join(
        src.work_dir or osp.dirname(src.checkpoint), 'noise_manifest.json')
    if not osp.isfile(manifest_path):
        raise SystemExit(f'{manifest_path} does not exist: pass --manifest '
                         'noise_manifest.json of the run')
    with open(manifest_path) as f:
        manifest = json.load(f)
    realised = np.nan_to_num(
        np.asarray(manifest['transition_matrix'], dtype=float))
    n = realised.shape[0]
    model = confusion(rec['clean'], rec['pred'], n)
    # from a checkpoint, its name says the epoch: transition_from_epoch_3
    path = src.name(
        'transition' if src.checkpoint else f'transition_epoch_{epoch}')
    plot_transition_pair(
        realised,
        model,
        path,
        manifest.get('classes'),
        model_title=f'model, epoch {epoch}')
    print(f'realised noise rate {manifest["realised_rate"]:.4f}; training '
          f'accuracy vs clean labels {np.trace(model) / n:.4f} (class mean)')
    print(f'wrote {path}')


if __name__ == '__main__':
    main()
