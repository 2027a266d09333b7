# Copyright (c) lnl_mm contributors. All rights reserved.
"""Meta classifiers: weights, targets and updates against independent
computations."""
import copy

import pytest
import torch
import torch.nn.functional as F
from meta_toys import make_batch, make_classifier, sgd
from mmengine.optim import OptimWrapper, OptimWrapperDict
from mmpretrain.registry import MODELS

from lnl_mm.models.meta import (clone_buffers, functional_forward, l2rw_scores,
                                normalize_weights)


def per_sample_grads(model, batch, params):
    """Gradient of every sample's CE (one batch forward, cloned buffers)."""
    data = model.data_preprocessor(batch, True)
    logits = functional_forward(model, {}, data['inputs'], mode='tensor')
    labels = torch.cat([s.gt_label for s in data['data_samples']])
    losses = F.cross_entropy(logits, labels, reduction='none')
    rows = []
    for i in range(losses.numel()):
        g = torch.autograd.grad(losses[i], params, retain_graph=True)
        rows.append(torch.cat([x.reshape(-1) for x in g]))
    return torch.stack(rows), losses.detach()


def meta_grad(model, batch, params):
    data = model.data_preprocessor(batch, False)
    logits = functional_forward(model, {}, data['inputs'], mode='tensor')
    labels = torch.cat([s.gt_label for s in data['data_samples']])
    g = torch.autograd.grad(F.cross_entropy(logits, labels), params)
    return torch.cat([x.reshape(-1) for x in g])


@pytest.mark.parametrize('bn', [False, True])
def test_l2rw_weights_are_rectified_gradient_alignment(bn):
    # Plain SGD virtual step at eps = 0: theta_hat = theta, so
    # -g_i = lr <grad L_meta, grad l_i> exactly (the official CIFAR path).
    model = make_classifier(bn=bn)
    train, meta = make_batch(8, seed=1), make_batch(6, seed=2)
    params = [p for n, p in model.named_parameters()]
    G, _ = per_sample_grads(model, train, params)
    v = meta_grad(model, meta, params)
    align = 0.1 * G @ v
    expected = align.clamp(min=0) / align.clamp(min=0).sum()
    model.train_step(dict(train=train, meta=meta), sgd(model, lr=0.1))
    weights = model.last_record['weight'] / 8
    torch.testing.assert_close(weights, expected, rtol=1e-4, atol=1e-7)
    assert (weights == 0).any() and (weights > 0).any()


def test_l2rw_update_is_the_weighted_sum():
    model = make_classifier()
    train, meta = make_batch(8, seed=1), make_batch(6, seed=2)
    ref = copy.deepcopy(model)
    model.train_step(dict(train=train, meta=meta), sgd(model, lr=0.1))
    w = model.last_record['weight'] / 8
    data = ref.data_preprocessor(train, True)
    logits = ref(data['inputs'], mode='tensor')
    labels = torch.cat([s.gt_label for s in data['data_samples']])
    loss = (w * F.cross_entropy(logits, labels, reduction='none')).sum()
    opt = torch.optim.SGD(ref.parameters(), lr=0.1)
    loss.backward()
    opt.step()
    for (n, p), q in zip(model.named_parameters(), ref.parameters()):
        torch.testing.assert_close(p, q, msg=n)


def test_batchnorm_statistics_move_once_on_the_train_batch():
    model = make_classifier(bn=True)
    train, meta = make_batch(8, seed=1), make_batch(6, seed=2)
    ref = copy.deepcopy(model)
    model.train_step(dict(train=train, meta=meta), sgd(model, lr=0.0))
    ref(ref.data_preprocessor(train, True)['inputs'], mode='tensor')
    for (n, b), r in zip(model.named_buffers(), ref.buffers()):
        if n != 'num_steps':
            assert torch.equal(b, r), n


def test_head_approximation_uses_head_gradients_only():
    model = make_classifier(meta_params='head')
    train, meta = make_batch(8, seed=1), make_batch(6, seed=2)
    params = [model.head.fc.weight, model.head.fc.bias]
    G, _ = per_sample_grads(model, train, params)
    align = 0.1 * G @ meta_grad(model, meta, params)
    expected = align.clamp(min=0) / align.clamp(min=0).sum()
    model.train_step(dict(train=train, meta=meta), sgd(model, lr=0.1))
    torch.testing.assert_close(
        model.last_record['weight'] / 8, expected, rtol=1e-4, atol=1e-7)


def test_all_negative_batch_gives_zero_weights_and_no_update():
    scores = l2rw_scores(torch.tensor([0.3, 0.1, 2.0]), 'clamp')
    w = normalize_weights(scores)
    assert torch.equal(w, torch.zeros(3))
    # Through the classifier. With a zero head, logits are 0 (p = 1/3) and
    # only head gradients are non-zero: <p - e_a, p - e_b> = [a = b] - 1/3.
    # Identical images labelled 0 in training and 1 in the meta batch make
    # every alignment -(|f|^2 + 1)/3 < 0.
    model = make_classifier()
    train = make_batch(6, seed=1)
    meta = make_batch(4, seed=1)
    for batch, label in ((train, 0), (meta, 1)):
        batch['inputs'] = [train['inputs'][0].clone() for _ in batch['inputs']]
        for s in batch['data_samples']:
            s.set_gt_label(label)
    with torch.no_grad():
        model.head.fc.weight.zero_()
        model.head.fc.bias.zero_()
    before = copy.deepcopy(model.state_dict())
    out = model.train_step(dict(train=train, meta=meta), sgd(model))
    assert out['meta/zero_weight'] == 1
    assert torch.equal(model.last_record['weight'], torch.zeros(6))
    assert torch.isfinite(out['loss'])
    for k, v in model.state_dict().items():
        if k != 'num_steps':
            assert torch.equal(v, before[k]), k


def test_sigmoid_weights_are_nearly_uniform():
    model = make_classifier(weighting='sigmoid')
    train, meta = make_batch(16, seed=1), make_batch(6, seed=2)
    model.train_step(dict(train=train, meta=meta), sgd(model, lr=0.01))
    assert torch.allclose(
        model.last_record['weight'], torch.ones(16), atol=1e-2)


def test_refurbished_targets():
    model = make_classifier('MetaRefurbishClassifier', target='hard')
    logits = torch.tensor([[2.0, 0.0, 0.0], [0.0, 0.0, 3.0]])
    labels = torch.tensor([1, 2])
    beta = torch.tensor([0.25, 0.6])
    t = model.refurbished_targets(None, logits, labels, beta)
    torch.testing.assert_close(
        t, torch.tensor([[0.75, 0.25, 0.0], [0.0, 0.0, 1.0]]))
    soft = make_classifier('MetaRefurbishClassifier', target='soft')
    soft.init_sample_state(torch.tensor([0, 1, 2, 1]))
    batch = make_batch(2, seed=0, start=1)
    t = soft.refurbished_targets(batch['data_samples'], logits, labels, beta)
    p = F.softmax(logits, dim=1)
    expected = torch.stack([
        0.25 * F.one_hot(torch.tensor(1), 3) + 0.75 * p[0],
        0.6 * F.one_hot(torch.tensor(2), 3) + 0.4 * p[1]
    ])
    torch.testing.assert_close(t, expected)
    torch.testing.assert_close(soft.store.get('soft_labels', [1, 2]), expected)
    torch.testing.assert_close(t.sum(1), torch.ones(2))
    assert torch.equal(
        soft.store.get('soft_labels', [0]), torch.tensor([[1., 0, 0]]))


def test_refurbishment_beta_and_warmup():
    model = make_classifier('MetaRefurbishClassifier', warmup_iters=1)
    train, meta = make_batch(8, seed=1), make_batch(6, seed=2)
    model.train_step(dict(train=train, meta=meta), sgd(model))
    assert torch.equal(model.last_record['beta'], torch.ones(8))
    model.train_step(dict(train=train, meta=meta), sgd(model))
    beta = model.last_record['beta']
    assert ((beta > 0.4) & (beta < 0.6)).all() and not (beta == 0.5).all()


def test_proposal_alternates_and_oracle_reads_clean_labels():
    model = make_classifier('MetaProposalClassifier', oracle=True)
    model.init_sample_state(torch.zeros(8, dtype=torch.long))
    train = make_batch(8, seed=1, clean=[0] * 8)
    meta = make_batch(6, seed=2)
    model.train_step(dict(train=train, meta=meta), sgd(model))
    # step 1 (odd): beta updated, scores still uniform
    assert not torch.equal(model.store.beta, torch.ones(8))
    assert torch.equal(model.store.score, torch.full((8, ), 0.5))
    beta1 = model.store.beta.clone()
    model.train_step(dict(train=train, meta=meta), sgd(model))
    assert torch.equal(model.store.beta, beta1)
    assert not torch.equal(model.store.score, torch.full((8, ), .5))
    with pytest.raises(KeyError, match='PackNoisyInputs'):
        model.train_step(dict(train=make_batch(8, 1), meta=meta), sgd(model))
    # the oracle's prediction term is the clean label, whatever the logits
    logits = torch.randn(8, 3) * 10
    labels = torch.full((8, ), 2)
    torch.testing.assert_close(
        model._predictions(train['data_samples'], logits, labels),
        torch.zeros(8, dtype=torch.long))
    model.oracle = False  # the method's own: the model's argmax
    torch.testing.assert_close(
        model._predictions(train['data_samples'], logits, labels),
        logits.argmax(1))


def mwnet_wrappers(model, lr=0.1):
    meta = OptimWrapper(torch.optim.Adam(model.meta_net.parameters(), lr=1e-2))
    return OptimWrapperDict(model=sgd(model, lr=lr), meta=meta)


def test_mwnet_meta_step_changes_only_the_weighting_net(monkeypatch):
    model = make_classifier(
        'MetaWeightNetClassifier',
        meta_net=dict(type='MetaWeightNet', hidden=10))
    train, meta = make_batch(8, seed=1), make_batch(6, seed=2)
    before = copy.deepcopy(model.state_dict())
    captured = {}

    def fake_update(loss, ow, params):
        captured['loss'] = loss

    monkeypatch.setattr(model, 'apply_update', fake_update)
    model.train_step(dict(train=train, meta=meta), mwnet_wrappers(model))
    for k, v in model.state_dict().items():
        changed = not torch.equal(v, before[k])
        if k.startswith('meta_net.'):
            assert changed, k
        elif k != 'num_steps':
            assert not changed, k
    # The real step uses the *updated* net under no-grad, mean over n.
    data = model.data_preprocessor(train, True)
    logits = model(data['inputs'], mode='tensor')
    labels = torch.cat([s.gt_label for s in data['data_samples']])
    losses = F.cross_entropy(logits, labels, reduction='none')
    with torch.no_grad():
        v = model.meta_net(losses)
    torch.testing.assert_close(captured['loss'], (v * losses).sum() / 8)


def test_mwnet_meta_gradient_matches_double_backward():
    model = make_classifier(
        'MetaWeightNetClassifier',
        meta_net=dict(type='MetaWeightNet', hidden=10))
    train, meta = make_batch(8, seed=1), make_batch(6, seed=2)
    ref = copy.deepcopy(model)
    wrappers = mwnet_wrappers(model)
    grads = {}
    wrappers['meta'].optimizer.step = lambda: grads.update({
        n: p.grad.clone()
        for n, p in model.meta_net.named_parameters()
    })
    model.train_step(dict(train=train, meta=meta), wrappers)
    # Reference: the literal Meta-Weight-Net step, differentiating through
    # the virtual update with create_graph.
    params = {
        n: p
        for n, p in ref.named_parameters() if not n.startswith('meta_net.')
    }
    data = ref.data_preprocessor(train, True)
    buffers = clone_buffers(ref)
    logits = functional_forward(
        ref, params, data['inputs'], buffers=buffers, mode='tensor')
    labels = torch.cat([s.gt_label for s in data['data_samples']])
    losses = F.cross_entropy(logits, labels, reduction='none')
    v = ref.meta_net(losses)
    g = torch.autograd.grad(
        (v * losses).sum() / 8, list(params.values()), create_graph=True)
    stepped = {k: p - 0.1 * gk for (k, p), gk in zip(params.items(), g)}
    mdata = ref.data_preprocessor(meta, False)
    mlogits = functional_forward(
        ref,
        stepped,
        mdata['inputs'],
        buffers=clone_buffers(ref),
        mode='tensor')
    mlabels = torch.cat([s.gt_label for s in mdata['data_samples']])
    F.cross_entropy(mlogits, mlabels).backward()
    for n, p in ref.meta_net.named_parameters():
        torch.testing.assert_close(grads[n], p.grad, rtol=1e-4, atol=1e-8)


def test_bad_inputs():
    model = make_classifier()
    train, meta = make_batch(8, seed=1), make_batch(6, seed=2)
    with pytest.raises(TypeError, match='MetaEpochBasedTrainLoop'):
        model.train_step(train, sgd(model))
    bad = make_batch(6, seed=2, num_classes=5)
    for s in bad['data_samples']:
        s.set_gt_label(4)
    with pytest.raises(ValueError, match='num_classes=3'):
        model.train_step(dict(train=train, meta=bad), sgd(model))
    with pytest.raises(ValueError, match='weighting'):
        make_classifier(weighting='softmax')
    with pytest.raises(ValueError, match='meta_params'):
        make_classifier(meta_params='last')
    with pytest.raises(ValueError, match='target'):
        make_classifier('MetaRefurbishClassifier', target='mixup')
    mw = make_classifier(
        'MetaWeightNetClassifier', meta_net=dict(type='MetaWeightNet'))
    with pytest.raises(KeyError, match='MetaOptimWrapperConstructor'):
        mw.train_step(dict(train=train, meta=meta), sgd(mw))


def test_old_per_sample_layout_is_refused_clearly():
    model = make_classifier('MetaRefurbishClassifier', target='soft')
    model.init_sample_state(torch.tensor([0, 1, 1]))
    state = {
        k: v
        for k, v in model.state_dict().items() if not k.startswith('store.')
    }
    state['soft_labels.values'] = torch.zeros(3, 3)
    state['soft_labels.given'] = torch.tensor([0, 1, 1])
    with pytest.raises(
            ValueError,
            match='layout of lnl_mm 0.1 '
            r'\(soft_labels.given, soft_labels.values\)'):
        model.load_state_dict(state)


class BF16Wrapper(OptimWrapper):
    """Autocast (CPU bfloat16) around the real forward, as AmpOptimWrapper
    does on a GPU."""

    def optim_context(self, model):
        return torch.autocast('cpu', dtype=torch.bfloat16)


def test_meta_passes_stay_float32_under_autocast():
    model = make_classifier(bn=True)
    ref = copy.deepcopy(model)
    train, meta = make_batch(8, seed=1), make_batch(6, seed=2)
    ref_out = ref.train_step(dict(train=train, meta=meta), sgd(ref))
    params = [p for n, p in model.named_parameters()]
    out = model.train_step(
        dict(train=train, meta=meta),
        BF16Wrapper(torch.optim.SGD(params, lr=0.1)))
    assert torch.isfinite(out['loss']) and torch.isfinite(out['meta_loss'])
    # The meta gradient and the JVP ran in float32: the same meta loss and
    # weights as without autocast; only the real forward was bfloat16.
    torch.testing.assert_close(out['meta_loss'], ref_out['meta_loss'])
    torch.testing.assert_close(model.last_record['weight'],
                               ref.last_record['weight'])
    assert model.last_train_logits.dtype == torch.float32
    assert not torch.equal(out['loss'], ref_out['loss'])  # bf16 forward


@pytest.mark.parametrize('kind', ['L2RWClassifier', 'MetaWeightNetClassifier'])
def test_training_logits_exposed_are_the_train_batch(kind):
    # TrainingDynamicsHook reads last_train_logits: they must be the real
    # training forward's, not the meta batch's (which runs first).
    kwargs = dict(meta_net=dict(type='MetaWeightNet', hidden=5)) \
        if kind == 'MetaWeightNetClassifier' else {}
    model = make_classifier(kind, bn=True, **kwargs)
    ref = copy.deepcopy(model)
    train, meta = make_batch(8, seed=1), make_batch(8, seed=2)
    wrapper = mwnet_wrappers(model, lr=0.0) if kwargs else sgd(model, 0.0)
    model.train_step(dict(train=train, meta=meta), wrapper)
    expected = ref(ref.data_preprocessor(train, True)['inputs'], mode='tensor')
    torch.testing.assert_close(model.last_train_logits, expected.detach())


@pytest.mark.parametrize('type', ['L2RWClassifier', 'MetaWeightNetClassifier'])
def test_batch_augments_are_refused(type):
    extra = dict(meta_net=dict(type='MetaWeightNet')) \
        if type == 'MetaWeightNetClassifier' else {}
    with pytest.raises(ValueError, match='batch_augments'):
        MODELS.build(
            dict(
                type=type,
                backbone=dict(type='SmallCNN', in_channels=1, channels=(4, 8)),
                neck=dict(type='GlobalAveragePooling'),
                head=dict(type='LinearClsHead', num_classes=3, in_channels=8),
                data_preprocessor=dict(
                    type='ClsDataPreprocessor',
                    num_classes=3,
                    batch_augments=dict(
                        augments=dict(type='Mixup', alpha=1.0))),
                **extra))


def test_refurbishment_summed_loss_is_the_seeds():
    """loss_reduction='sum' (the seed's) is batch size times the mean, the
    same targets; a bad value names the option."""
    train, meta = make_batch(8, seed=1), make_batch(6, seed=2)
    losses = {}
    for reduction in ('mean', 'sum'):
        model = make_classifier(
            'MetaRefurbishClassifier', loss_reduction=reduction)
        out = model.train_step(dict(train=train, meta=meta), sgd(model))
        losses[reduction] = float(out['loss'])
    assert losses['sum'] == pytest.approx(8 * losses['mean'], rel=1e-6)
    with pytest.raises(ValueError, match="loss_reduction must be 'mean'"):
        make_classifier('MetaRefurbishClassifier', loss_reduction='none')


def rank_local(model):
    return set(model.rank_local_buffers) & set(dict(model.named_buffers()))


def test_proposal_previous_batch_state_is_the_seeds():
    """state='previous_batch': the seed's parity (its step 0 computes the
    weights, step 1 beta), batch-level tensors applied by position to the
    next batch, weights summing to 1, saved and restored with the model."""
    model = make_classifier('MetaProposalClassifier', state='previous_batch')
    model.init_sample_state(torch.zeros(16, dtype=torch.long))
    ow = sgd(model)
    meta = make_batch(6, seed=2)
    model.train_step(dict(train=make_batch(8, seed=1), meta=meta), ow)
    # step 0: new weights, beta still 1
    assert torch.equal(model.seed_beta, torch.ones(8))
    w0 = model.seed_weight.clone()
    assert w0.sum().item() == pytest.approx(1.0)
    assert torch.equal(model.last_record['beta'], torch.ones(8))
    model.train_step(dict(train=make_batch(8, seed=3, start=8), meta=meta), ow)
    # step 1: beta recomputed, the previous batch's weights applied by
    # position to these 8 other samples
    assert not torch.equal(model.seed_beta, torch.ones(8))
    assert torch.equal(model.seed_weight, w0)
    torch.testing.assert_close(model.last_record['weight'], w0 * 8)
    # checkpointed: a fresh model takes the tensors from the state dict
    fresh = make_classifier('MetaProposalClassifier', state='previous_batch')
    fresh.init_sample_state(torch.zeros(16, dtype=torch.long))
    fresh.load_state_dict(model.state_dict())
    assert torch.equal(fresh.seed_beta, model.seed_beta)
    assert int(fresh.seed_epoch_step) == 2
    # a new epoch restarts the seed's i at 0 (an odd epoch length must not
    # swap the roles): after start_epoch the next step recomputes weights
    model.train_step(dict(train=make_batch(8, seed=5), meta=meta), ow)
    beta2 = model.seed_beta.clone()  # step 2: weights again, beta kept
    model.start_epoch()
    assert int(model.seed_epoch_step) == 0
    w_before = model.seed_weight.clone()
    model.train_step(dict(train=make_batch(8, seed=6, start=8), meta=meta), ow)
    assert torch.equal(model.seed_beta, beta2)  # step 0 again: beta kept
    assert not torch.equal(model.seed_weight, w_before)
    assert rank_local(model) == {'seed_beta', 'seed_weight'}
    with pytest.raises(ValueError, match='drop_last=True'):
        model.train_step(dict(train=make_batch(5, seed=4), meta=meta), ow)
    with pytest.raises(ValueError, match="state must be 'per_sample'"):
        make_classifier('MetaProposalClassifier', state='batch')


def test_upper_bound_relabels_the_noisy_samples_with_the_clean_network(
        tmp_path):
    """The seed's upper bound: sigmoid weights every step; the targets of
    the samples marked noisy are the argmax (or softmax) of a clean-trained
    network, loaded from a checkpoint; clean samples keep their label."""
    clean_net = make_classifier('ImageClassifier', bn=True, seed=5)
    path = tmp_path / 'clean.pth'
    torch.save(dict(state_dict=clean_net.state_dict()), path)
    batch = make_batch(8, seed=1)
    noisy = [True, False, True, False, False, True, False, False]
    for s, flag in zip(batch['data_samples'], noisy):
        s.set_metainfo(dict(is_noisy=flag))
    meta = make_batch(6, seed=2)
    for target in ('hard', 'soft'):
        model = make_classifier(
            'L2RWUpperBoundClassifier',
            bn=True,
            clean_checkpoint=str(path),
            target=target)
        assert 'clean' not in ''.join(model.state_dict())  # not saved
        data = model.data_preprocessor(batch, True)
        step = model.begin_step(data, sgd(model))
        got = model.clean_targets(step)
        clean_net.eval()
        with torch.no_grad():
            z = clean_net(data['inputs'], mode='tensor')
        pred = (
            F.one_hot(z.argmax(1), 3).float()
            if target == 'hard' else F.softmax(z, 1))
        given = F.one_hot(step.labels, 3).float()
        mask = torch.tensor(noisy).reshape(-1, 1)
        torch.testing.assert_close(got, torch.where(mask, pred, given))
        out = model.train_step(dict(train=batch, meta=meta), sgd(model))
        assert torch.isfinite(out['loss'])
        assert model.last_record['weight'].sum().item() == pytest.approx(8)
    plain = make_batch(8, seed=1)
    with pytest.raises(KeyError, match='PackNoisyInputs'):
        model.train_step(dict(train=plain, meta=meta), sgd(model))
    missing = make_classifier(
        'L2RWUpperBoundClassifier',
        bn=True,
        clean_checkpoint=str(tmp_path / 'nope.pth'))
    with pytest.raises(FileNotFoundError, match='nope.pth'):
        missing.train_step(dict(train=batch, meta=meta), sgd(missing))
    with pytest.raises(ValueError, match='clean_bn_mode must be one of'):
        make_classifier(
            'L2RWUpperBoundClassifier',
            clean_checkpoint=str(path),
            clean_bn_mode='x')
