# Copyright (c) lnl_mm contributors. All rights reserved.
"""Bucketed collectives: the values of one collective per tensor, with one
collective per bucket."""
import json
import os

import torch
import torch.distributed as dist
import torch.multiprocessing as mp

from lnl_mm.models.utils import dist_utils
from lnl_mm.models.utils.dist_utils import (broadcast_coalesced,
                                            mean_over_ranks, sum_over_ranks)


def tensors(rank):
    g = torch.Generator().manual_seed(rank)
    return [
        torch.randn(3, 4, generator=g),
        torch.randn(5, generator=g, dtype=torch.float64),
        torch.randint(0, 9, (2, 2), generator=g),
        torch.randn(1000, generator=g),  # 4 kB: a bucket of its own below
        torch.randn((), generator=g),
    ]


def _worker(rank, world, port, out_dir):
    os.environ.update(MASTER_ADDR='127.0.0.1', MASTER_PORT=str(port))
    dist.init_process_group('gloo', rank=rank, world_size=world)
    calls = dict(all_reduce=0, broadcast=0)
    for name in calls:
        original = getattr(dist, name)

        def counted(*args, _name=name, _original=original, **kwargs):
            calls[_name] += 1
            return _original(*args, **kwargs)

        setattr(dist, name, counted)
    result = {}
    calls['all_reduce'] = 0
    sum_over_ranks(tensors(rank))  # 25 MiB buckets: one per dtype
    result['dtype_calls'] = calls['all_reduce']
    dist_utils.BUCKET_MB = 3.5e-3  # 3.6 kB: the big tensor is cut off
    for op, fn in (('sum', sum_over_ranks), ('mean', mean_over_ranks)):
        ours, ref = tensors(rank), tensors(rank)
        calls['all_reduce'] = 0
        fn(ours)
        result[f'{op}_calls'] = calls['all_reduce']
        for t in ref:  # one collective per tensor, as before
            dist.all_reduce(t)
            if op == 'mean':
                t.copy_(t / world) if t.is_floating_point() else \
                    t.copy_(torch.true_divide(t, world))
        result[op] = all(torch.equal(a, b) for a, b in zip(ours, ref))
    ours = tensors(rank)
    broadcast_coalesced(ours)
    result['broadcast_calls'] = calls['broadcast']
    result['broadcast'] = all(
        torch.equal(a, b) for a, b in zip(ours, tensors(0)))
    with open(os.path.join(out_dir, f'rank{rank}.json'), 'w') as f:
        json.dump(result, f)
    dist.destroy_process_group()


def test_bucketed_collectives_on_two_gloo_processes(tmp_path, free_port):
    mp.spawn(_worker, args=(2, free_port(), str(tmp_path)), nprocs=2)
    for rank in range(2):
        r = json.loads((tmp_path / f'rank{rank}.json').read_text())
        assert r['sum'] and r['mean'] and r['broadcast'], r
        assert r['dtype_calls'] == 3, r  # float32, float64, int64
        # float32 cut into [48 B], [4000 B], [4 B] (the large one fits
        # with neither), float64, int64: five buckets
        assert r['sum_calls'] == r['mean_calls'] == 5, r
        assert r['broadcast_calls'] == 5, r


def test_single_process_is_a_no_op():
    ts = tensors(3)
    for fn in (sum_over_ranks, mean_over_ranks, broadcast_coalesced):
        fn(ts)
    assert all(torch.equal(a, b) for a, b in zip(ts, tensors(3)))
