# Copyright (c) lnl_mm contributors. All rights reserved.
"""Our meta-weights equal a computation with ``higher`` (a test-only
dependency, docs/design.md, decision 2)."""
import copy
import os.path as osp
import sys

import pytest
import torch
import torch.nn.functional as F

sys.path.insert(0, osp.join(osp.dirname(__file__), '..', 'test_classifiers'))
from meta_toys import make_batch, make_classifier, sgd  # noqa: E402

higher = pytest.importorskip('higher')


def higher_eps_grad(model, optimizer, train, meta):
    """L2RW's eps-gradient with higher's differentiable optimizer."""
    data = model.data_preprocessor(train, True)
    mdata = model.data_preprocessor(meta, False)
    labels = torch.cat([s.gt_label for s in data['data_samples']])
    mlabels = torch.cat([s.gt_label for s in mdata['data_samples']])
    eps = torch.zeros(labels.numel(), requires_grad=True)
    with higher.innerloop_ctx(
            model, optimizer, copy_initial_weights=False) as (fmodel, diffopt):
        losses = F.cross_entropy(
            fmodel(data['inputs'], mode='tensor'), labels, reduction='none')
        diffopt.step((eps * losses).sum())
        meta_loss = F.cross_entropy(
            fmodel(mdata['inputs'], mode='tensor'), mlabels)
        return torch.autograd.grad(meta_loss, eps)[0]


@pytest.mark.parametrize('momentum', [0.0, 0.9])
def test_l2rw_weights_equal_higher(momentum):
    model = make_classifier(virtual_momentum=True, virtual_weight_decay=True)
    warm = make_batch(8, seed=5)
    ours = sgd(model, lr=0.1, momentum=momentum, weight_decay=5e-4)
    # One real step first, so that momentum buffers exist.
    model.train_step(dict(train=warm, meta=make_batch(6, seed=6)), ours)
    ref = copy.deepcopy(model)
    ref_opt = torch.optim.SGD(
        ref.parameters(), lr=0.1, momentum=momentum, weight_decay=5e-4)
    ref_opt.load_state_dict(ours.optimizer.state_dict())
    train, meta = make_batch(8, seed=1), make_batch(6, seed=2)
    g = higher_eps_grad(ref, ref_opt, train, meta)
    expected = g.neg().clamp(min=0) / g.neg().clamp(min=0).sum()
    model.train_step(dict(train=train, meta=meta), ours)
    torch.testing.assert_close(
        model.last_record['weight'] / 8, expected, rtol=1e-4, atol=1e-7)
