# Copyright (c) lnl_mm contributors. All rights reserved.
"""Run by ``test_meta_loop.py`` under torchrun: one bilevel step per rank on
its half of a batch; writes the rank's weights and parameters."""
import os.path as osp
import sys

import torch
import torch.distributed as dist

sys.path.insert(
    0,
    osp.join(
        osp.dirname(osp.abspath(__file__)), '..', 'test_models',
        'test_classifiers'))
from meta_toys import make_batch, make_classifier, sgd  # noqa: E402
from mmengine.optim import OptimWrapper, OptimWrapperDict  # noqa: E402


def halves(batch, rank, size):
    n = len(batch['inputs']) // size
    return {k: v[rank * n:(rank + 1) * n] for k, v in batch.items()}


def wrappers(model, method):
    if method != 'MetaWeightNetClassifier':
        return sgd(model, lr=0.1)
    return OptimWrapperDict(
        model=sgd(model, lr=0.1),
        meta=OptimWrapper(
            torch.optim.Adam(model.meta_net.parameters(), lr=1e-2)))


def main(out_dir):
    dist.init_process_group('gloo')
    rank, size = dist.get_rank(), dist.get_world_size()
    for method, kwargs in (('L2RWClassifier', {}), (
            'MetaWeightNetClassifier',
            dict(meta_net=dict(type='MetaWeightNet', hidden=10)))):
        model = make_classifier(method, **kwargs)
        train, meta = make_batch(8, seed=1), make_batch(6, seed=2)
        model.train_step(
            dict(
                train=halves(train, rank, size), meta=halves(meta, rank,
                                                             size)),
            wrappers(model, method))
        torch.save(
            dict(weight=model.last_record['weight'], state=model.state_dict()),
            osp.join(out_dir, f'{method}_rank{rank}.pt'))
    # BatchNorm, and the seed's replicated meta batch: each rank its half of
    # the training batch, every rank the whole meta batch
    model = make_classifier('L2RWClassifier', bn=True)
    train, meta = make_batch(8, seed=1), make_batch(6, seed=2)
    model.train_step(
        dict(train=halves(train, rank, size), meta=meta), sgd(model, lr=0.1))
    torch.save(
        dict(weight=model.last_record['weight'], state=model.state_dict()),
        osp.join(out_dir, f'bn_replicated_rank{rank}.pt'))
    dist.destroy_process_group()


if __name__ == '__main__':
    main(sys.argv[1])
