# Copyright (c) lnl_mm contributors. All rights reserved.
"""Epoch time of Dynamic Loss relative to plain CE, side by side.

The CE and the Dynamic Loss configs of one setting (same model, data and
batch) are trained for ``--epochs`` epochs each, alternately, ``--rounds``
times in this process. A Dynamic Loss epoch is timed whole: the rank pass
over the training set, the bilevel steps on the training set minus the meta
set, and the fine-tune pass over the meta set (``warmup_epochs=0``, so every
epoch is a full one). Medians over epochs 2..E of every round. Goal: ratio
(Dynamic Loss epoch / CE epoch) <= 3.5.

Example:
    python tools/benchmarks/dynamic_loss_bench.py --setting digits fashionmnist
"""
import argparse
import os.path as osp
import statistics

from sln_bench import ROOT, train

SETTINGS = {
    'digits': ('smallcnn_1xb64-30e_digits-cor40-imb0.1', {}),
    'fashionmnist': ('cnn4_1xb128-20e_fashionmnist-cor40-imb0.1', {
        'train_dataloader.dataset.dataset.dataset.dataset.indices':
        20000
    }),
}


def main():
    p = argparse.ArgumentParser(
        description=' '.join(__doc__.split('\n\n')[0].split()))
    p.add_argument(
        '--setting', nargs='+', default=['digits'], choices=sorted(SETTINGS))
    p.add_argument('--epochs', type=int, default=3)
    p.add_argument('--rounds', type=int, default=3)
    args = p.parse_args()
    print('| setting | CE epoch (s) | Dynamic Loss epoch (s) | ratio '
          '(goal <= 3.5) |')
    print('| --- | --- | --- | --- |')
    for name in args.setting:
        tag, options = SETTINGS[name]
        cfg = {
            m: osp.join(ROOT, 'configs/metadynamic', f'{m}_{tag}.py')
            for m in ('ce', 'metadynamic')
        }
        ce, dyn = [], []
        for _ in range(args.rounds):
            ce += train(cfg['ce'], args.epochs, options)
            dyn += train(
                cfg['metadynamic'], args.epochs, {
                    **options, 'train_cfg.warmup_epochs': 0,
                    'custom_hooks.MetaDiagnosticsHook.save_per_sample': False,
                    'custom_hooks.MetaDiagnosticsHook.plot': False
                })
        t_ce, t_dyn = statistics.median(ce), statistics.median(dyn)
        print(
            f'| {name} | {t_ce:.3f} | {t_dyn:.3f} | {t_dyn / t_ce:.2f} |',
            flush=True)


if __name__ == '__main__':
    main()
