# Copyright (c) lnl_mm contributors. All rights reserved.
"""Forward + backward time of every robust loss relative to mmpretrain's CE.

All losses and CE are timed in one process on the same logits, interleaved
round by round (so machine load hits them alike); the table reports the
median time per call and its ratio to CE. Goal: ratio <= 1.5 for every loss.

Example:
    python tools/benchmarks/loss_bench.py --shapes 1024x100 256x1000
"""
import argparse
import statistics
import time

import torch
from mmpretrain.registry import MODELS

import lnl_mm  # noqa: F401  (registration)
from lnl_mm.models.losses import LOSS_TYPES

EXTRA = {
    'GLS': dict(type='GLSLoss', smooth_rate=-0.4),
    # NFL's cheaper gradient mode, beside the official default
    "NFL (detach='denominator')": dict(type='NFLLoss', detach='denominator'),
    # NLNL's class weights come from the training labels (a hook); uniform
    # here, the same cost
    'NLNL': dict(type='NLNLLoss', class_weight=None),
    'ANL': dict(type='ANormLoss'),
    'NCE+ANL': dict(type='NCEandANLLoss'),
    'ANL+RCE': dict(type='ANLandRCELoss'),
    'NFL+AGCE': dict(type='NFLandAGCELoss'),
    'NFL+AUL': dict(type='NFLandAULLoss'),
    'NFL+AEL': dict(type='NFLandAELLoss'),
    'GCE+MAE': dict(type='GCEandMAELoss'),
    'GCE+RCE': dict(type='GCEandRCELoss'),
    'GCE+NCE': dict(type='GCEandNCELoss'),
    'NGCE+NCE': dict(type='NGCEandNCELoss'),
    'MAE+RCE': dict(type='MAEandRCELoss'),
    'NFL+NCE': dict(type='NFLandNCELoss'),
    'DMI': dict(type='DMILoss'),
}


def time_call(loss, z, y, inner):
    start = time.perf_counter()
    for _ in range(inner):
        z.grad = None
        loss(z, y).backward()
    return (time.perf_counter() - start) / inner


def bench(shape, device, rounds, inner, soft, only=None):
    n, c = shape
    torch.manual_seed(0)
    z = (torch.randn(n, c, device=device) * 3).requires_grad_(True)
    y = torch.randint(0, c, (n, ), device=device)
    if soft:
        y = torch.softmax(torch.randn(n, c, device=device), dim=1)
    cfgs = {k: dict(type=v) for k, v in LOSS_TYPES.items()}
    cfgs.update(EXTRA)
    if soft:
        cfgs['CE'] = dict(type='CrossEntropyLoss', use_soft=True)
        # complementary labels are drawn against index labels only
        cfgs.pop('NLNL')
    if only:
        unknown = sorted(set(only) - set(cfgs))
        if unknown:
            raise SystemExit(f'--losses: unknown {unknown}; known: '
                             f'{sorted(cfgs)}')
        cfgs = {k: v for k, v in cfgs.items() if k in only or k == 'CE'}
    losses = {k: MODELS.build(v) for k, v in cfgs.items()}
    times = {k: [] for k in losses}
    for loss in losses.values():  # warm-up
        time_call(loss, z, y, 3)
    for _ in range(rounds):
        for k, loss in losses.items():
            if device == 'cuda':
                torch.cuda.synchronize()
            times[k].append(time_call(loss, z, y, inner))
            if device == 'cuda':
                torch.cuda.synchronize()
    med = {k: statistics.median(v) for k, v in times.items()}
    return med


def main():
    parser = argparse.ArgumentParser(
        description=' '.join(__doc__.split('\n\n')[0].split()))
    parser.add_argument(
        '--shapes', nargs='+', default=['1024x100', '256x1000'])
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--rounds', type=int, default=15)
    parser.add_argument('--inner', type=int, default=20)
    parser.add_argument(
        '--soft',
        action='store_true',
        help='soft (N, C) targets instead of indices')
    parser.add_argument(
        '--losses',
        nargs='+',
        help='time these rows only (names as the table prints them; CE is '
        'always timed)')
    parser.add_argument('--goal', type=float, default=1.5)
    parser.add_argument(
        '--threads',
        type=int,
        default=1,
        help='torch CPU threads (1 keeps timings stable '
        'when other work shares the machine)')
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    shapes = [tuple(int(v) for v in s.split('x')) for s in args.shapes]
    results = {
        s: bench(s, args.device, args.rounds, args.inner, args.soft,
                 args.losses)
        for s in shapes
    }
    head = ' | '.join(f'{n}×{c} µs | ratio' for n, c in shapes)
    print(f'torch {torch.__version__}, device {args.device}, threads '
          f'{torch.get_num_threads()}, targets '
          f'{"soft" if args.soft else "index"}')
    print(f'| loss | {head} |')
    print('|---' * (1 + 2 * len(shapes)) + '|')
    worst = 0.
    for k in results[shapes[0]]:
        cells = []
        for s in shapes:
            ratio = results[s][k] / results[s]['CE']
            worst = max(worst, ratio)
            cells.append(f'{results[s][k] * 1e6:.0f} | {ratio:.2f}')
        print(f'| {k} | ' + ' | '.join(cells) + ' |')
    verdict = 'meets' if worst <= args.goal else 'MISSES'
    print(f'worst ratio {worst:.2f}: {verdict} the goal of {args.goal}')


if __name__ == '__main__':
    main()
