# Copyright (c) lnl_mm contributors. All rights reserved.
"""Run by ``test_two_network_loops.py`` under torchrun: one step of each
two-network method per rank on its half of a batch (BatchNorm-free
networks); writes the rank's state and records."""
import os.path as osp
import sys

import torch
import torch.distributed as dist

sys.path.insert(
    0,
    osp.join(
        osp.dirname(osp.abspath(__file__)), '..', 'test_models',
        'test_classifiers'))
from meta_toys import TupleMLP, make_batch  # noqa: E402
from mmpretrain.registry import MODELS  # noqa: E402
from torch import nn  # noqa: E402

import lnl_mm  # noqa: E402,F401
from lnl_mm.engine import TwoNetworkOptimWrapperConstructor  # noqa: E402
from lnl_mm.models.utils import MomentumModel  # noqa: E402

METHODS = (
    ('CoTeachingClassifier', dict(forget_rate=0.3), False),
    ('CoTeachingPlusClassifier', dict(forget_rate=0.3, init_epoch=0), False),
    ('JoCoRClassifier', dict(forget_rate=0.3, co_lambda=0.6), True),
    # without mixup (the permutation is drawn within each rank)
    ('ELRPlusClassifier', dict(mixup_alpha=0.0, ema_rampup_steps=10), False),
)


def make(type, **kwargs):
    """Two BatchNorm-free networks (1x4x4 images, 3 classes)."""
    torch.manual_seed(0)
    model = MODELS.build(
        dict(
            type=type,
            backbone=dict(type='SmallCNN', in_channels=1, channels=(4, 8)),
            neck=dict(type='GlobalAveragePooling'),
            head=dict(type='LinearClsHead', num_classes=3, in_channels=8),
            data_preprocessor=dict(
                type='mmpretrain.ClsDataPreprocessor', num_classes=3),
            **kwargs))
    for name, net in zip(('net1', 'net2'), model.nets):
        net.backbone = TupleMLP()
        net.neck = nn.Identity()
        if hasattr(model, 'emas'):  # ELR+: the averages of the new networks
            model.add_module(
                f'ema_{name}',
                MomentumModel(
                    net, decay=model.ema_decay, update_buffers=False))
    model.init_sample_state(torch.arange(16) % 3)
    model.start_epoch(20)
    model.train()
    return model


def wrappers(model, joint):
    return TwoNetworkOptimWrapperConstructor(
        dict(joint=joint, optimizer=dict(type='SGD', lr=0.5)))(
            model)


def step_data(type, batch):
    """What the loop gives the model's train_step (ELR+: net1's pass)."""
    if type == 'ELRPlusClassifier':
        return dict(stage='train', net=0, train=batch)
    return batch


def halves(batch, rank, size):
    n = len(batch['inputs']) // size
    return {k: v[rank * n:(rank + 1) * n] for k, v in batch.items()}


def main(out_dir):
    dist.init_process_group('gloo')
    rank, size = dist.get_rank(), dist.get_world_size()
    for type, kwargs, joint in METHODS:
        model = make(type, **kwargs)
        out = model.train_step(
            step_data(type, halves(make_batch(16, seed=3), rank, size)),
            wrappers(model, joint))
        torch.save(
            dict(
                state=model.state_dict(),
                record={
                    k: v
                    for k, v in model.last_record.items() if k != 'sample_idx'
                },
                loss=out['loss']), osp.join(out_dir, f'{type}_rank{rank}.pt'))
    dist.destroy_process_group()


if __name__ == '__main__':
    main(sys.argv[1])
