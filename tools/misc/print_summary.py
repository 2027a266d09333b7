# Copyright (c) lnl_mm contributors. All rights reserved.
"""Print what a noisy-label run measured: accuracy, noise, plots."""
import argparse
import json
import os.path as osp
import sys


def load(path):
    if not osp.isfile(path):
        return None
    with open(path) as f:
        return json.load(f)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('work_dir', help='work dir of a finished run')
    args = parser.parse_args()
    summary = load(osp.join(args.work_dir, 'summary.json'))
    manifest = load(osp.join(args.work_dir, 'noise_manifest.json'))
    dynamics = load(osp.join(args.work_dir, 'training_dynamics.json'))
    if summary is None:
        sys.exit(f'{args.work_dir} has no summary.json: did the run finish '
                 'with validation enabled?')
    print('=' * 72)
    print(f'Clean-test {summary["metric"]} of {args.work_dir}')
    print(f'  last epoch ({summary["last_epoch"]}):      '
          f'{summary["last"]:.2f}')
    print(f'  mean of last {summary["k"]} epochs:     '
          f'{summary["mean_last_k"]:.2f} ± {summary["std_last_k"]:.2f}')
    print(f'  best epoch ({summary["best_epoch"]}):      '
          f'{summary["best"]:.2f}  (chosen on test labels: optimistic)')
    if manifest is not None:
        print(f'Noise: {manifest["generator"]} {manifest["params"]} '
              f'seed={manifest["seed"]}: realised rate '
              f'{manifest["realised_rate"]:.4f} ({manifest["num_flipped"]} of '
              f'{manifest["num_samples"]} labels flipped)')
        print('  per-class rate: ' +
              ' '.join('-' if r is None else f'{r:.3f}'
                       for r in manifest['per_class_rate']))
        print(f'  sha256 noisy labels: {manifest["sha256_noisy_labels"]}')
    if dynamics:
        last = dynamics[-1]
        if last.get('noisy_memorized') is not None:
            print(f'Memorisation at epoch {last["epoch"]}: '
                  f'{last["noisy_memorized"]:.3f} of noisy samples fit their '
                  f'wrong label, {last["noisy_corrected"]:.3f} predict the '
                  f'true one; clean samples fit: {last["clean_acc"]:.3f}')
    print('Files:')
    for name in ('summary.json', 'noise_manifest.json',
                 'training_dynamics.json', 'plots/memorization.png'):
        path = osp.join(args.work_dir, name)
        if osp.exists(path):
            print(f'  {path}')
    if dynamics:
        print('  ' + osp.join(args.work_dir, 'plots',
                              f'loss_dist_epoch_{dynamics[-1]["epoch"]}.png'))
    print('=' * 72)


if __name__ == '__main__':
    main()
