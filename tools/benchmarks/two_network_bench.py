# Copyright (c) lnl_mm contributors. All rights reserved.
"""Epoch time of the two-network methods relative to plain CE, side by side.

CE and each method on the same protocol (same network, data and batch) are
trained for ``--epochs`` epochs each, alternately, ``--rounds`` times in
this process; medians over epochs 2..E of every round. DivideMix runs one
warm-up epoch first, so that its timed epochs are semi-supervised ones: the
division pass of both networks (two predictions of the training set and two
mixture fits) and one pass per network over its labelled set, each step six
no-grad forwards and one forward-backward on four groups. Its cost grows
with the labelled share of the training set, printed beside it. ELR+
(``elr``) trains each network for its own pass, every step with a no-grad
forward of the peer's weight average.

Example:
    python tools/benchmarks/two_network_bench.py --setting fashionmnist
"""
import argparse
import os.path as osp
import statistics

from sln_bench import ROOT, train

from lnl_mm.engine.runner import DivideMixTrainLoop

SETTINGS = {
    'digits': ('configs/robust_losses/ce_cnn4_1xb64-30e_digits-sym40.py',
               '1xb64-30e_digits-sym80', {
                   'train_dataloader.dataset.noise.rate': 0.8
               }),
    'fashionmnist': ('configs/noisy_baseline/'
                     'ce_cnn4_1xb128-30e_fashionmnist-sym80.py',
                     '1xb128-30e_fashionmnist-sym80', {}),
}
METHODS = ('coteaching', 'coteaching_plus', 'jocor', 'dividemix', 'elr')
STEM = dict(coteaching_plus='coteaching-plus', elr='elr-plus')  # elr: ELR+
QUIET = {
    'custom_hooks.MetaDiagnosticsHook.save_per_sample': False,
    'custom_hooks.MetaDiagnosticsHook.plot': False
}


def main():
    p = argparse.ArgumentParser(
        description=' '.join(__doc__.split('\n\n')[0].split()))
    p.add_argument(
        '--setting', nargs='+', default=['digits'], choices=sorted(SETTINGS))
    p.add_argument(
        '--methods',
        nargs='+',
        default=list(METHODS),
        choices=METHODS,
        help='the config folders of the methods (elr: ELR+)')
    p.add_argument('--epochs', type=int, default=3)
    p.add_argument('--rounds', type=int, default=2)
    args = p.parse_args()
    labelled = []
    original = DivideMixTrainLoop.divide

    def divide(self):
        probs = original(self)
        labelled.append(
            float(sum((q > self.p_threshold).mean() for q in probs) / 2))
        return probs

    DivideMixTrainLoop.divide = divide
    print('| setting | method | CE epoch (s) | method epoch (s) | ratio |')
    print('| --- | --- | --- | --- | --- |')
    for name in args.setting:
        ce_cfg, tag, options = SETTINGS[name]
        times = {m: [] for m in ('ce', *args.methods)}
        for _ in range(args.rounds):
            times['ce'] += train(osp.join(ROOT, ce_cfg), args.epochs, options)
            for m in args.methods:
                cfg = osp.join(ROOT, 'configs', m,
                               f'{STEM.get(m, m)}_cnn4_{tag}.py')
                extra = {
                    **options,
                    **QUIET
                } if m != 'dividemix' else {
                    **options, 'train_cfg.warmup_epochs': 1
                }
                epochs = args.epochs + (m == 'dividemix')
                got = train(cfg, epochs, extra)
                times[m] += got[1:] if m == 'dividemix' else got
        t_ce = statistics.median(times['ce'])
        for m in args.methods:
            t = statistics.median(times[m])
            note = ''
            if m == 'dividemix' and labelled:
                note = (f' (labelled share {100 * min(labelled):.0f}-'
                        f'{100 * max(labelled):.0f} %)')
                labelled.clear()
            print(
                f'| {name} | {m}{note} | {t_ce:.3f} | {t:.3f} | '
                f'{t / t_ce:.2f} |',
                flush=True)


if __name__ == '__main__':
    main()
