# Copyright (c) lnl_mm contributors. All rights reserved.
"""Cost of one meta-learning step relative to a plain step, side by side.

For each network (ResNet-32 at 32x32, batch 100, meta batch 100; the 4-layer
CNN at 28x28, same batches) and each step kind, on the *same* model and
batches:

* ``plain``: mmpretrain's ``ImageClassifier.train_step`` (forward, backward,
  SGD step);
* ``l2rw``: ``L2RWClassifier`` exact step (look-ahead meta gradient, exact
  per-sample eps-gradients, weighted update);
* ``l2rw-head``: the opt-in approximation ``meta_params='head'``;
* ``l2rw-higher``: the same step written with ``higher`` (double backward
  through a monkey-patched copy), the straightforward reference, when
  ``higher`` is installed;
* ``mwnet``: the Meta-Weight-Net step.

Time: the kinds run in turn, ``--reps`` rounds, after ``--warmup`` rounds;
the median per kind is divided by the median plain step. Memory: every kind
runs in a fresh subprocess; on CUDA the peak allocated memory of the step,
on CPU the growth of the resident set (sampled every 0.5 ms) over three
steps; divided by the
plain step's. Goals (issue #5): l2rw <= 3.0x time and <= 2.5x memory,
l2rw-head <= 1.5x time.

Example:
    python tools/benchmarks/meta_step_bench.py --nets resnet32 cnn4
"""
import argparse
import copy
import json
import resource
import statistics
import subprocess
import sys
import threading
import time

import torch
import torch.nn.functional as F
from mmengine.optim import OptimWrapper, OptimWrapperDict
from mmpretrain.models import ImageClassifier
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample

import lnl_mm  # noqa: F401  (registration)

NETS = {
    'resnet32':
    dict(
        backbone=dict(type='CIFARResNet', depth=32),
        neck=dict(type='GlobalAveragePooling'),
        head=dict(type='LinearClsHead', num_classes=10, in_channels=64),
        shape=(3, 32, 32)),
    'cnn4':
    dict(
        backbone=dict(type='CNN4Layer', in_channels=1, input_size=28),
        neck=None,
        head=dict(type='LinearClsHead', num_classes=10, in_channels=128),
        shape=(1, 28, 28)),
}
KINDS = ('plain', 'l2rw', 'l2rw-head', 'l2rw-higher', 'mwnet')


def build(net, kind, device):
    spec = NETS[net]
    cfg = dict(
        backbone=spec['backbone'],
        head=spec['head'],
        data_preprocessor=dict(type='ClsDataPreprocessor', num_classes=10))
    if spec['neck']:
        cfg['neck'] = spec['neck']
    cfg['type'] = dict(
        plain='L2RWClassifier',
        l2rw='L2RWClassifier',
        mwnet='MetaWeightNetClassifier').get(kind, 'L2RWClassifier')
    if kind == 'l2rw-head':
        cfg['meta_params'] = 'head'
    if kind == 'mwnet':
        cfg['meta_net'] = dict(type='MetaWeightNet')
    torch.manual_seed(0)
    model = MODELS.build(cfg).to(device)
    params = [
        p for n, p in model.named_parameters() if not n.startswith('meta_net.')
    ]
    ow = OptimWrapper(torch.optim.SGD(params, lr=0.1, momentum=0.9))
    if kind == 'mwnet':
        ow = OptimWrapperDict(
            model=ow,
            meta=OptimWrapper(
                torch.optim.Adam(model.meta_net.parameters(), lr=1e-3)))
    return model, ow


def batch(net, n, seed, device):
    g = torch.Generator().manual_seed(seed)
    shape = NETS[net]['shape']
    samples = [
        DataSample(metainfo=dict(sample_idx=i)).set_gt_label(
            int(torch.randint(0, 10, (1, ), generator=g))) for i in range(n)
    ]
    inputs = [
        torch.randint(0, 256, shape, generator=g).to(torch.uint8)
        for _ in range(n)
    ]
    return dict(inputs=inputs, data_samples=samples)


def higher_step(model, ow, data):
    """The straightforward L2RW step with ``higher``."""
    import higher
    train = model.data_preprocessor(data['train'], True)
    meta = model.data_preprocessor(data['meta'], False)
    labels = torch.cat([s.gt_label for s in train['data_samples']])
    mlabels = torch.cat([s.gt_label for s in meta['data_samples']])
    eps = torch.zeros(labels.numel(), device=labels.device, requires_grad=True)
    with higher.innerloop_ctx(model, ow.optimizer) as (fmodel, diffopt):
        losses = F.cross_entropy(
            fmodel(train['inputs'], mode='tensor'), labels, reduction='none')
        diffopt.step((eps * losses).sum())
        meta_loss = F.cross_entropy(
            fmodel(meta['inputs'], mode='tensor'), mlabels)
        g = torch.autograd.grad(meta_loss, eps)[0]
    w = torch.clamp(-g, min=0)
    w = w / (w.sum() + (w.sum() == 0).float())
    losses = F.cross_entropy(
        model(train['inputs'], mode='tensor'), labels, reduction='none')
    ow.update_params((w * losses).sum())


def step_fn(kind, model, ow, data):
    if kind == 'plain':
        return lambda: ImageClassifier.train_step(model, data['train'], ow)
    if kind == 'l2rw-higher':
        return lambda: higher_step(model, ow, data)
    return lambda: model.train_step(data, ow)


def sync(device):
    if device.type == 'cuda':
        torch.cuda.synchronize()


def time_kinds(net, kinds, args, device):
    data = dict(
        train=batch(net, args.batch, 1, device),
        meta=batch(net, args.meta_batch, 2, device))
    fns = {}
    for kind in kinds:
        model, ow = build(net, kind, device)
        fns[kind] = step_fn(kind, model, ow, copy.deepcopy(data))
    times = {k: [] for k in kinds}
    for r in range(args.warmup + args.reps):
        for kind in kinds:
            sync(device)
            t = time.perf_counter()
            fns[kind]()
            sync(device)
            if r >= args.warmup:
                times[kind].append(time.perf_counter() - t)
    return {k: statistics.median(v) for k, v in times.items()}


def memory_of(net, kind, args, device):
    """Run in a subprocess: bytes of peak memory growth during 3 steps."""
    data = dict(
        train=batch(net, args.batch, 1, device),
        meta=batch(net, args.meta_batch, 2, device))
    model, ow = build(net, kind, device)
    fn = step_fn(kind, model, ow, data)
    if device.type == 'cuda':
        fn()
        torch.cuda.synchronize()
        base = torch.cuda.memory_allocated()
        torch.cuda.reset_peak_memory_stats()
        for _ in range(3):
            fn()
        torch.cuda.synchronize()
        return torch.cuda.max_memory_allocated() - base
    sampler = RSSSampler()
    with sampler:
        for _ in range(3):
            fn()
    return sampler.peak - sampler.base


class RSSSampler:
    """Peak resident set size, sampled every 0.5 ms by a thread (CPU)."""

    def __init__(self, interval=5e-4):
        self.interval = interval
        self.page = resource.getpagesize()

    def rss(self):
        with open('/proc/self/statm') as f:
            return int(f.read().split()[1]) * self.page

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, self.rss())
            time.sleep(self.interval)

    def __enter__(self):
        self.base = self.peak = self.rss()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.rss())


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description=' '.join(__doc__.split('\n\n')[0].split()))
    parser.add_argument(
        '--nets', nargs='+', default=list(NETS), choices=list(NETS))
    parser.add_argument(
        '--kinds', nargs='+', default=list(KINDS), choices=KINDS)
    parser.add_argument('--batch', type=int, default=100)
    parser.add_argument('--meta-batch', type=int, default=100)
    parser.add_argument('--reps', type=int, default=10)
    parser.add_argument('--warmup', type=int, default=2)
    parser.add_argument(
        '--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    parser.add_argument('--no-memory', action='store_true')
    parser.add_argument(
        '--memory-of',
        nargs=2,
        metavar=('NET', 'KIND'),
        help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    device = torch.device(args.device)
    if args.memory_of:
        print(json.dumps(memory_of(*args.memory_of, args, device)))
        return
    kinds = list(args.kinds)
    if 'plain' not in kinds:
        kinds.insert(0, 'plain')
    try:
        import higher  # noqa: F401
    except ImportError:
        kinds = [k for k in kinds if k != 'l2rw-higher']
    print(f'device {device}, threads {torch.get_num_threads()}, batch '
          f'{args.batch}, meta batch {args.meta_batch}, {args.reps} reps')
    print('| net | step | time (ms) | time ratio | peak memory (MiB) | '
          'memory ratio |')
    print('| --- | --- | --- | --- | --- | --- |')
    for net in args.nets:
        times = time_kinds(net, kinds, args, device)
        mem = {}
        if not args.no_memory:
            for kind in kinds:
                out = subprocess.run([
                    sys.executable, __file__, '--memory-of', net, kind,
                    '--batch',
                    str(args.batch), '--meta-batch',
                    str(args.meta_batch), '--device', args.device
                ],
                                     capture_output=True,
                                     text=True,
                                     check=True)
                mem[kind] = json.loads(out.stdout.strip().splitlines()[-1])
        for kind in kinds:
            m = (f'{mem[kind] / 2**20:.1f} | {mem[kind] / mem["plain"]:.2f}'
                 if mem and mem['plain'] > 0 else '- | -')
            print(f'| {net} | {kind} | {times[kind] * 1e3:.1f} | '
                  f'{times[kind] / times["plain"]:.2f} | {m} |')


if __name__ == '__main__':
    main()
