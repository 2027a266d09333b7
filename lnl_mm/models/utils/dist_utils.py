# Copyright (c) lnl_mm contributors. All rights reserved.
"""Collectives over many tensors at once, for the meta-learning steps.

A bilevel step synchronises whole parameter sets (the gradients of the
virtual step, the meta gradient, the real gradients) and, before each step,
every BatchNorm buffer. One collective per tensor costs one latency each
(ResNet-32 with its head: 95 parameter and 93 buffer tensors); these group the
tensors by dtype and device, flatten each group into buckets of at most
:data:`BUCKET_MB` and run one collective per bucket, as DDP does. They are
no-ops in a single process. With two ranks a bucketed sum equals one
collective per tensor bit for bit (one addition per element); with more, a
backend may split the buffer differently and so change the order of the
additions, by rounding only.
"""
from collections import OrderedDict
from typing import Iterable, List

from mmengine.dist import all_reduce_params, broadcast, get_world_size
from torch import Tensor
from torch._utils import _flatten_dense_tensors, _unflatten_dense_tensors

#: Bucket size in MiB (DDP's default ``bucket_cap_mb``).
BUCKET_MB = 25


def sum_over_ranks(tensors: Iterable[Tensor]) -> None:
    """Sum every tensor over the ranks, in place."""
    all_reduce_params(
        list(tensors), coalesce=True, bucket_size_mb=BUCKET_MB, op='sum')


def mean_over_ranks(tensors: Iterable[Tensor]) -> None:
    """Average every tensor over the ranks, in place."""
    all_reduce_params(
        list(tensors), coalesce=True, bucket_size_mb=BUCKET_MB, op='mean')


def _buckets(tensors: List[Tensor]) -> List[List[Tensor]]:
    """Tensors grouped by type (dtype and device), then cut at
    :data:`BUCKET_MB`; the order inside a group is kept."""
    limit = BUCKET_MB * 1024 * 1024
    groups: 'OrderedDict[str, List[List[Tensor]]]' = OrderedDict()
    sizes: dict = {}
    for t in tensors:
        key = f'{t.type()}:{t.device}'
        nbytes = t.numel() * t.element_size()
        if key not in groups or sizes[key] + nbytes > limit:
            groups.setdefault(key, []).append([])
            sizes[key] = 0
        groups[key][-1].append(t)
        sizes[key] += nbytes
    return [bucket for group in groups.values() for bucket in group]


def broadcast_coalesced(tensors: Iterable[Tensor], src: int = 0) -> None:
    """Copy every tensor of rank ``src`` to all ranks, in place, with one
    broadcast per bucket."""
    tensors = [t for t in tensors if t.numel()]
    if get_world_size() == 1 or not tensors:
        return
    for bucket in _buckets(tensors):
        flat = _flatten_dense_tensors([t.data for t in bucket])
        broadcast(flat, src=src)
        for t, synced in zip(bucket, _unflatten_dense_tensors(flat, bucket)):
            t.data.copy_(synced)
