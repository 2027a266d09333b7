# Copyright (c) lnl_mm contributors. All rights reserved.
"""Training throughput (patches/s) of noise2self relative to noise2clean.

The same DnCNN, batch and optimiser (Adam) are stepped in one process, the
modes interleaved round by round; n2s adds the grid masking and the masked
loss. Reports the median patches per second of each mode and n2s / n2c.

Example:
    python tools/benchmarks/denoise_bench.py --depth 17 --channels 64
"""
import argparse
import statistics
import time

import torch
from mmengine.registry import init_default_scope
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample

import lnl_mm  # noqa: F401  (registration)


def build(mode, depth, channels, loss):
    torch.manual_seed(0)
    model = MODELS.build(
        dict(
            type='SelfSupervisedDenoiser',
            mode=mode,
            loss=loss,
            backbone=dict(type='DnCNN', depth=depth, channels=channels)))
    return model, torch.optim.Adam(model.parameters(), lr=1e-3)


def steps(model, optim, inputs, samples, n):
    start = time.perf_counter()
    for _ in range(n):
        optim.zero_grad()
        model.loss(inputs, samples)['loss'].backward()
        optim.step()
    return (time.perf_counter() - start) / n


def main():
    p = argparse.ArgumentParser(
        description=' '.join(__doc__.split('\n\n')[0].split()))
    p.add_argument('--depth', type=int, default=7)
    p.add_argument('--channels', type=int, default=32)
    p.add_argument('--batch', type=int, default=64)
    p.add_argument('--patch', type=int, default=40)
    p.add_argument('--loss', default='heat0.2')
    p.add_argument('--rounds', type=int, default=5)
    p.add_argument('--steps', type=int, default=5)
    args = p.parse_args()
    init_default_scope('mmpretrain')
    inputs = torch.rand(args.batch, 1, args.patch, args.patch)
    samples = []
    for img in torch.rand(args.batch, 1, args.patch, args.patch):
        s = DataSample()
        s.set_field(img, 'gt_img')
        samples.append(s)
    runs = {
        m: build(m, args.depth, args.channels, args.loss)
        for m in ('n2c', 'n2s')
    }
    times = {m: [] for m in runs}
    for m, (model, optim) in runs.items():  # warm-up
        steps(model, optim, inputs, samples, 2)
    for _ in range(args.rounds):
        for m, (model, optim) in runs.items():
            times[m].append(steps(model, optim, inputs, samples, args.steps))
    rate = {m: args.batch / statistics.median(t) for m, t in times.items()}
    print(f'DnCNN depth {args.depth}, {args.channels} channels, batch '
          f'{args.batch} x {args.patch}x{args.patch}, loss {args.loss}')
    print('| mode | patches / s |\n| --- | --- |')
    for m, r in rate.items():
        print(f'| {m} | {r:.1f} |')
    print(f'n2s / n2c throughput: {rate["n2s"] / rate["n2c"]:.3f}')


if __name__ == '__main__':
    main()
