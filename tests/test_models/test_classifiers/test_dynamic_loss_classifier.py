# Copyright (c) lnl_mm contributors. All rights reserved.
"""Dynamic Loss's bilevel step against the literal definition."""
import copy

import pytest
import torch
import torch.nn.functional as F
from meta_toys import make_batch, make_classifier, sgd
from mmengine.optim import OptimWrapper, OptimWrapperDict

from lnl_mm.models.classifiers import DynamicLossClassifier
from lnl_mm.models.meta import clone_buffers, functional_forward


def dynamic(bn=True, **kwargs):
    model = make_classifier(
        'DynamicLossClassifier',
        bn=bn,
        meta_net=dict(type='DynamicLossMetaNet', rank_num=5, hidden=8),
        **kwargs)
    model.init_sample_state(torch.zeros(16, dtype=torch.long))
    model.set_ranks(torch.arange(16), torch.arange(16) % 5)
    return model


def with_weak(batch, seed=0):
    g = torch.Generator().manual_seed(seed)
    for s in batch['data_samples']:
        s.set_field(
            torch.randint(0, 256, (1, 4, 4), generator=g, dtype=torch.uint8),
            'weak_img')
    return batch


def wrappers(model, lr=0.1):
    return OptimWrapperDict(
        model=sgd(model, lr=lr),
        meta=OptimWrapper(
            torch.optim.Adam(model.meta_net.parameters(), lr=1e-2)))


def argmax_gumbel(logits):
    """A deterministic stand-in for the Gumbel sample."""
    return F.one_hot(logits.detach().argmax(1), logits.size(1)).float()


def test_meta_gradient_equals_the_double_backward_definition(monkeypatch):
    model = dynamic()
    monkeypatch.setattr(
        model.meta_net,
        'gumbel_prediction',
        lambda z, generator=None: argmax_gumbel(z))
    ref = copy.deepcopy(model)
    train, meta = with_weak(make_batch(8, seed=1)), make_batch(6, seed=2)
    ows = wrappers(model)
    grads = {}
    ows['meta'].optimizer.step = lambda: grads.update({
        n: p.grad.clone()
        for n, p in model.meta_net.named_parameters()
    })
    model.train_step(dict(train=train, meta=meta), ows)
    # Reference: differentiate through the virtual step (create_graph).
    data = ref.data_preprocessor(train, True)
    weak = ref.weak_inputs(data['data_samples'])
    labels = torch.cat([s.gt_label for s in data['data_samples']])
    ranks = (torch.arange(8) % 5)
    params = {
        n: p
        for n, p in ref.named_parameters() if not n.startswith('meta_net.')
    }
    logits = functional_forward(
        ref, params, weak, buffers=clone_buffers(ref), mode='tensor')
    targets = ref.meta_net.corrected_targets(ranks, labels,
                                             argmax_gumbel(logits))
    loss = -(targets *
             F.log_softmax(logits + ref.meta_net.margins(), 1)).sum(1).mean()
    g = torch.autograd.grad(loss, list(params.values()), create_graph=True)
    stepped = {k: p - 0.1 * gk for (k, p), gk in zip(params.items(), g)}
    mdata = ref.data_preprocessor(meta, False)
    mlabels = torch.cat([s.gt_label for s in mdata['data_samples']])
    F.cross_entropy(
        functional_forward(
            ref,
            stepped,
            mdata['inputs'],
            buffers=clone_buffers(ref),
            mode='tensor'), mlabels).backward()
    for n, p in ref.meta_net.named_parameters():
        torch.testing.assert_close(
            grads[n], p.grad, rtol=1e-4, atol=1e-7, msg=n)


def test_directional_derivative_matches_autograd():
    torch.manual_seed(0)
    z = torch.randn(5, 4, dtype=torch.float64)
    dz = torch.randn(5, 4, dtype=torch.float64)
    q = torch.randn(1, 4, dtype=torch.float64)
    t = torch.rand(5, 4, dtype=torch.float64)  # rows need not sum to 1
    n = torch.tensor([5.0], dtype=torch.float64)

    def loss(x):
        return -(t * F.log_softmax(x + q, 1)).sum() / n

    _, jvp = torch.func.jvp(loss, (z, ), (dz, ))
    ours = DynamicLossClassifier.directional_derivative(z, dz, q, t, n)
    torch.testing.assert_close(ours, jvp)


def test_meta_step_changes_only_the_meta_net(monkeypatch):
    model = dynamic()
    before = {k: p.detach().clone() for k, p in model.named_parameters()}
    monkeypatch.setattr(model, 'apply_update', lambda *a: None)
    model.train_step(
        dict(
            train=with_weak(make_batch(8, seed=1)), meta=make_batch(6,
                                                                    seed=2)),
        wrappers(model))
    for k, p in model.named_parameters():
        changed = not torch.equal(p, before[k])
        assert changed == k.startswith('meta_net.'), k


def test_warmup_teaches_the_corrector_the_given_labels():
    model = dynamic(lc_warmup_iters=3)
    train = with_weak(make_batch(8, seed=1))
    ranks, labels = torch.arange(8) % 5, torch.cat(
        [s.gt_label for s in train['data_samples']])
    trust0 = model.meta_net.trust(ranks, labels).detach()
    ows = wrappers(model)
    for _ in range(4):
        out = model.train_step(dict(train=train, stage='warmup'), ows)
    assert int(model.warmup_steps) == 4
    assert 'corrector_loss' not in out  # only for the first 3 steps
    assert (model.meta_net.trust(ranks, labels) > trust0).all()


def test_finetune_uses_margins_and_leaves_the_meta_net(monkeypatch):
    model = dynamic()
    train = with_weak(make_batch(8, seed=1))
    captured = {}
    monkeypatch.setattr(model, 'apply_update',
                        lambda loss, ow, params: captured.update(loss=loss))
    meta_before = copy.deepcopy(model.meta_net.state_dict())
    model.train_step(dict(train=train, stage='finetune'), wrappers(model))
    data = model.data_preprocessor(train, True)
    logits = model(data['inputs'], mode='tensor')
    labels = torch.cat([s.gt_label for s in data['data_samples']])
    expected = F.cross_entropy(logits + model.meta_net.margins(), labels)
    torch.testing.assert_close(captured['loss'].reshape(()), expected)
    for k, v in model.meta_net.state_dict().items():
        assert torch.equal(v, meta_before[k])


def test_bad_inputs():
    model = dynamic()
    ows = wrappers(model)
    with pytest.raises(KeyError, match='StoreWeakView'):
        model.train_step(
            dict(train=make_batch(8, 1), meta=make_batch(6, 2)), ows)
    with pytest.raises(TypeError, match='DynamicLossTrainLoop'):
        model.train_step(dict(train=make_batch(8, 1), stage='other'), ows)
    with pytest.raises(KeyError, match='MetaOptimWrapperConstructor'):
        model.train_step(
            dict(train=with_weak(make_batch(8, 1)), meta=make_batch(6, 2)),
            sgd(model))
    with pytest.raises(ValueError, match='num_classes'):
        make_classifier(
            'DynamicLossClassifier',
            meta_net=dict(type='DynamicLossMetaNet', num_classes=4))


def test_the_look_ahead_on_the_training_view(monkeypatch):
    """use_weak_view=False (official use_weak=False): no weak view needed;
    the look-ahead logits are those of the training inputs."""
    model = dynamic(use_weak_view=False)
    train, meta = make_batch(8, seed=1), make_batch(6, seed=2)  # no weak
    seen = []
    real = model.inner_view

    def spy(inputs, samples):
        out = real(inputs, samples)
        seen.append(torch.equal(out, inputs))
        return out

    monkeypatch.setattr(model, 'inner_view', spy)
    out = model.train_step(dict(train=train, meta=meta), wrappers(model))
    assert seen == [True] and torch.isfinite(out['loss'])
    assert set(model.last_record) >= {'trust', 'corrected_label'}
    with pytest.raises(TypeError, match='use_weak_view must be a bool'):
        dynamic(use_weak_view='no')


def test_margins_only_ablation_trains():
    model = make_classifier(
        'DynamicLossClassifier',
        bn=True,
        meta_net=dict(
            type='DynamicLossMetaNet',
            rank_num=5,
            hidden=8,
            use_corrector=False))
    model.init_sample_state(torch.zeros(16, dtype=torch.long))
    model.set_ranks(torch.arange(16), torch.arange(16) % 5)
    train, meta = with_weak(make_batch(8, seed=1)), make_batch(6, seed=2)
    before = model.meta_net.margins().detach().clone()
    model.train_step(dict(train=train, meta=meta), wrappers(model))
    assert not torch.equal(before, model.meta_net.margins().detach())
    assert torch.equal(model.last_record['trust'], torch.ones(8))
