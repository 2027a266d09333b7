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


def _dynamic_model():
    model = make_classifier(
        'DynamicLossClassifier',
        bn=True,
        meta_net=dict(type='DynamicLossMetaNet', rank_num=5, hidden=8))
    model.init_sample_state(torch.zeros(16, dtype=torch.long))
    model.set_ranks(torch.arange(16), torch.arange(16) % 5)
    return model


def _with_weak(batch, seed):
    g = torch.Generator().manual_seed(seed)
    for s in batch['data_samples']:
        s.set_field(
            torch.randint(0, 256, (1, 4, 4), generator=g, dtype=torch.uint8),
            'weak_img')
    return batch


def test_dynamic_loss_meta_gradient_equals_higher_with_the_real_optimizer(
        monkeypatch):
    """The official look-ahead, ``higher.innerloop_ctx(classifier,
    optimizer)``: SGD momentum 0.9, weight decay 5e-4, its momentum buffers
    after three real steps, a BatchNorm network (fidelity D1)."""
    from mmengine.optim import OptimWrapper, OptimWrapperDict

    def argmax_gumbel(z, generator=None):
        return F.one_hot(z.detach().argmax(1), z.size(1)).float()

    model = _dynamic_model()
    assert model.virtual_momentum and model.virtual_weight_decay  # default
    monkeypatch.setattr(model.meta_net, 'gumbel_prediction', argmax_gumbel)
    ows = OptimWrapperDict(
        model=sgd(model, lr=0.1, momentum=0.9, weight_decay=5e-4),
        meta=OptimWrapper(
            torch.optim.Adam(model.meta_net.parameters(), lr=1e-2)))
    for k in range(3):  # real steps: momentum buffers, moved BN statistics
        model.train_step(
            dict(
                train=_with_weak(make_batch(8, seed=10 + k), seed=k),
                meta=make_batch(6, seed=20 + k)), ows)
    assert all(s['momentum_buffer'].abs().sum() > 0
               for s in ows['model'].optimizer.state.values())
    ref = copy.deepcopy(model)
    ref_params = [
        p for n, p in ref.named_parameters() if not n.startswith('meta_net.')
    ]
    ref_opt = torch.optim.SGD(
        ref_params, lr=0.1, momentum=0.9, weight_decay=5e-4)
    # a copy: load_state_dict would share the buffers, which our real step
    # then updates in place
    ref_opt.load_state_dict(copy.deepcopy(ows['model'].optimizer.state_dict()))
    train = _with_weak(make_batch(8, seed=1), seed=7)
    meta = make_batch(6, seed=2)

    def meta_grads(net, wrappers):
        out = {}
        wrappers['meta'].optimizer.step = lambda: out.update({
            n: p.grad.clone()
            for n, p in net.meta_net.named_parameters()
        })
        net.train_step(dict(train=train, meta=meta), wrappers)
        return out

    # 0.1's plain SGD look-ahead, from the same state
    plain = copy.deepcopy(model)
    plain.virtual_momentum = plain.virtual_weight_decay = False
    plain_ows = OptimWrapperDict(
        model=sgd(plain, lr=0.1, momentum=0.9, weight_decay=5e-4),
        meta=OptimWrapper(
            torch.optim.Adam(plain.meta_net.parameters(), lr=1e-2)))
    plain_ows['model'].optimizer.load_state_dict(
        copy.deepcopy(ows['model'].optimizer.state_dict()))
    plain_grads = meta_grads(plain, plain_ows)
    grads = meta_grads(model, ows)

    # The official computation, written with higher.
    data = ref.data_preprocessor(train, True)
    weak = ref.weak_inputs(data['data_samples'])
    labels = torch.cat([s.gt_label for s in data['data_samples']])
    ranks = torch.arange(8) % 5
    mdata = ref.data_preprocessor(meta, False)
    mlabels = torch.cat([s.gt_label for s in mdata['data_samples']])
    with higher.innerloop_ctx(
            ref, ref_opt, copy_initial_weights=False) as (fmodel, diffopt):
        logits = fmodel(weak, mode='tensor')
        targets = ref.meta_net.corrected_targets(ranks, labels,
                                                 argmax_gumbel(logits))
        dyn = -(targets * F.log_softmax(logits + ref.meta_net.margins(),
                                        1)).sum(1).mean()
        diffopt.step(dyn)
        meta_loss = F.cross_entropy(
            fmodel(mdata['inputs'], mode='tensor'), mlabels)
        names = [n for n, _ in ref.meta_net.named_parameters()]
        expected = torch.autograd.grad(meta_loss,
                                       list(ref.meta_net.parameters()))
    for n, g in zip(names, expected):
        torch.testing.assert_close(grads[n], g, rtol=1e-5, atol=1e-6, msg=n)
    off = max(((plain_grads[n] - g).norm() / g.norm()).item()
              for n, g in zip(names, expected))
    assert off > 0.02  # the plain step is not the official computation
