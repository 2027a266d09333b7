# Copyright (c) lnl_mm contributors. All rights reserved.
"""Run by ``test_sop_runner.py`` under torchrun: one SOP step per rank on its
half of a batch (a BatchNorm-free network); writes the rank's state."""
import os.path as osp
import sys

import numpy as np
import torch
import torch.distributed as dist

sys.path.insert(
    0,
    osp.join(
        osp.dirname(osp.abspath(__file__)), '..', 'test_models',
        'test_classifiers'))
from meta_toys import make_batch, make_classifier  # noqa: E402

import lnl_mm  # noqa: E402,F401
from lnl_mm.engine import SOPOptimWrapperConstructor  # noqa: E402


def make():
    """SOP on 16 samples, u and v started at std 0.3 (so that they move)."""
    batch = make_batch(16, seed=3)
    model = make_classifier('SOPClassifier', num_samples=16, init_std=0.3)
    model.init_sample_state(
        np.array([int(s.gt_label) for s in batch['data_samples']]))
    optim = SOPOptimWrapperConstructor(
        dict(
            model=dict(optimizer=dict(type='SGD', lr=0.5)),
            sop=dict(
                optimizer=dict(type='SGD', momentum=0, weight_decay=0),
                lr_u=1,
                lr_v=10)))(
                    model)
    return model, optim, batch


def main(out_dir):
    dist.init_process_group('gloo')
    rank, size = dist.get_rank(), dist.get_world_size()
    model, optim, batch = make()
    n = 16 // size
    half = {k: v[rank * n:(rank + 1) * n] for k, v in batch.items()}
    model.train_step(half, optim)
    torch.save(model.state_dict(), osp.join(out_dir, f'sop_rank{rank}.pt'))
    dist.destroy_process_group()


if __name__ == '__main__':
    main(sys.argv[1])
