# Copyright (c) lnl_mm contributors. All rights reserved.
"""Co-teaching, Co-teaching+, JoCoR and DivideMix steps against their
definitions re-derived on copies of the networks."""
import copy

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from meta_toys import make_batch
from mmpretrain.registry import MODELS

from lnl_mm.engine import TwoNetworkOptimWrapperConstructor
from lnl_mm.models.selection import jocor_per_sample_loss, num_remembered

N = 16  # batch size


def make(type, seed=0, **kwargs):
    """Two small CNNs, 3 classes, at epoch 0 as the loop starts them."""
    torch.manual_seed(seed)
    cfg = dict(
        type=type,
        backbone=dict(type='SmallCNN', in_channels=1, channels=(4, 8)),
        neck=dict(type='GlobalAveragePooling'),
        head=dict(type='LinearClsHead', num_classes=3, in_channels=8),
        data_preprocessor=dict(type='ClsDataPreprocessor', num_classes=3))
    cfg.update(kwargs)
    model = MODELS.build(cfg)
    model.start_epoch(0)
    return model


def wrappers(model, joint=False, lr=1.0):
    return TwoNetworkOptimWrapperConstructor(
        dict(joint=joint, optimizer=dict(type='SGD', lr=lr)))(
            model)


def params(net):
    return [p.detach().clone() for p in net.parameters()]


def grads_of(loss, net):
    return torch.autograd.grad(loss, list(net.parameters()), allow_unused=True)


def deltas(before, net):
    return [b - p.detach() for b, p in zip(before, net.parameters())]


def assert_step_is(before, net, expected, lr=1.0):
    for d, g in zip(deltas(before, net), expected):
        g = torch.zeros_like(d) if g is None else g
        torch.testing.assert_close(d, lr * g, rtol=1e-4, atol=1e-6)


def preprocessed(model, batch):
    data = model.data_preprocessor(copy.deepcopy(batch), True)
    labels = torch.cat([s.gt_label for s in data['data_samples']])
    return data['inputs'], labels


def test_co_teaching_updates_each_network_on_its_peers_samples():
    model = make('CoTeachingClassifier', forget_rate=0.5)
    model.train()
    model.start_epoch(20)  # past the ramp: forget half of the batch
    ref = copy.deepcopy(model)
    batch = make_batch(N, seed=1)
    before1, before2 = params(model.net1), params(model.net2)
    out = model.train_step(batch, wrappers(model))
    x, y = preprocessed(ref, batch)
    z1, z2 = ref.net1(x, mode='tensor'), ref.net2(x, mode='tensor')
    l1 = F.cross_entropy(z1, y, reduction='none')
    l2 = F.cross_entropy(z2, y, reduction='none')
    keep = num_remembered(N, 0.5)
    s1 = torch.argsort(l1.detach(), stable=True)[:keep]
    s2 = torch.argsort(l2.detach(), stable=True)[:keep]
    loss1, loss2 = l1[s2].mean(), l2[s1].mean()  # the exchange
    assert float(out['loss1']) == pytest.approx(
        float(loss1.detach()), rel=1e-5)
    assert float(out['loss2']) == pytest.approx(
        float(loss2.detach()), rel=1e-5)
    assert_step_is(before1, model.net1, grads_of(loss1, ref.net1))
    assert_step_is(before2, model.net2, grads_of(loss2, ref.net2))
    # the records: who kept what
    rec = model.last_record
    assert rec['selected1'].sum() == keep
    assert set(torch.nonzero(rec['selected2']).reshape(-1).tolist()) == set(
        s2.tolist())
    assert float(out['forget_rate']) == 0.5


def test_official_double_normalisation():
    model = make('CoTeachingClassifier', forget_rate=0.5, double_norm=True)
    model.train()
    model.start_epoch(20)
    ref = copy.deepcopy(model)
    batch = make_batch(N, seed=2)
    out = model.train_step(batch, wrappers(model))
    plain = make('CoTeachingClassifier', forget_rate=0.5)
    plain.load_state_dict(ref.state_dict())
    plain.train()
    plain.start_epoch(20)
    single = plain.train_step(batch, wrappers(plain))
    keep = num_remembered(N, 0.5)
    assert float(out['loss1']) == pytest.approx(
        float(single['loss1']) / keep, rel=1e-6)


def test_forget_rate_follows_the_epoch():
    model = make('CoTeachingClassifier', forget_rate=0.9)
    model.train()
    out = model.train_step(make_batch(N, seed=3), wrappers(model))
    assert float(out['forget_rate']) == pytest.approx(0.1)
    assert model.last_record['selected1'].sum() == num_remembered(N, 0.1)


def test_jocor_one_selection_one_optimizer():
    model = make('JoCoRClassifier', forget_rate=0.5, co_lambda=0.7)
    model.train()
    model.start_epoch(20)
    ref = copy.deepcopy(model)
    batch = make_batch(N, seed=4)
    b1, b2 = params(model.net1), params(model.net2)
    out = model.train_step(batch, wrappers(model, joint=True))
    x, y = preprocessed(ref, batch)
    z1, z2 = ref.net1(x, mode='tensor'), ref.net2(x, mode='tensor')
    joint = jocor_per_sample_loss(z1, z2, y, 0.7)
    kept = torch.argsort(joint.detach(), stable=True)[:num_remembered(N, .5)]
    loss = joint[kept].mean()
    assert float(out['loss']) == pytest.approx(float(loss.detach()), rel=1e-5)
    g = torch.autograd.grad(loss,
                            [*ref.net1.parameters(), *ref.net2.parameters()])
    n1 = len(b1)
    assert_step_is(b1, model.net1, g[:n1])
    assert_step_is(b2, model.net2, g[n1:])


def test_coteaching_plus_selects_within_the_disagreement():
    model = make('CoTeachingPlusClassifier', forget_rate=0.5, init_epoch=0)
    model.train()
    model.start_epoch(20)
    ref = copy.deepcopy(model)
    batch = make_batch(N, seed=5)
    b1 = params(model.net1)
    out = model.train_step(batch, wrappers(model))
    x, y = preprocessed(ref, batch)
    z1, z2 = ref.net1(x, mode='tensor'), ref.net2(x, mode='tensor')
    d = torch.nonzero(z1.argmax(1) != z2.argmax(1)).reshape(-1)
    assert d.numel() >= 2, 'the toy networks should disagree somewhere'
    l1 = F.cross_entropy(z1, y, reduction='none')
    l2 = F.cross_entropy(z2, y, reduction='none')
    keep = max(num_remembered(d.numel(), 0.5), 1)
    s2 = d[torch.argsort(l2[d].detach(), stable=True)[:keep]]
    loss1 = l1[s2].mean()
    assert float(out['loss1']) == pytest.approx(
        float(loss1.detach()), rel=1e-5)
    assert_step_is(b1, model.net1, grads_of(loss1, ref.net1))
    assert float(out['disagreement']) == pytest.approx(d.numel() / N)
    assert not model.last_record['selected1'][z1.argmax(1) == z2.argmax(
        1)].any()


@pytest.mark.parametrize('forget_rate', [0.0, 0.5])
def test_coteaching_plus_official_softmax_input(forget_rate):
    """The official loss ranks and trains on F.cross_entropy(softmax(z))."""
    model = make(
        'CoTeachingPlusClassifier',
        forget_rate=forget_rate,
        init_epoch=0,
        softmax_as_logits=True)
    model.train()
    model.start_epoch(20)
    ref = copy.deepcopy(model)
    batch = make_batch(N, seed=5)
    out = model.train_step(batch, wrappers(model))
    x, y = preprocessed(ref, batch)
    z1, z2 = ref.net1(x, mode='tensor'), ref.net2(x, mode='tensor')
    d = torch.nonzero(z1.argmax(1) != z2.argmax(1)).reshape(-1)

    def official_ce(z):  # F.cross_entropy(softmax(z), y)
        p = F.softmax(z, 1)
        return -p[torch.arange(N), y] + torch.logsumexp(p, 1)

    l1, l2 = official_ce(z1), official_ce(z2)
    keep = max(num_remembered(d.numel(), forget_rate), 1)
    s2 = d[torch.argsort(l2[d].detach(), stable=True)[:keep]]
    official = l1[s2].mean()
    assert float(out['loss1']) == pytest.approx(
        float(official.detach()), rel=1e-5)


def test_coteaching_plus_official_empty_branch_gate():
    """Without disagreement the official code trains on the whole batch
    while (1-based epoch) x batch index < 5000, then steps on a zero loss."""
    model = make(
        'CoTeachingPlusClassifier',
        forget_rate=0.5,
        init_epoch=0,
        empty_disagreement='official')
    model.net2.load_state_dict(model.net1.state_dict())
    model.train()
    ref = copy.deepcopy(model)
    batch = make_batch(N, seed=6)
    model.start_epoch(99)
    model.epoch_step = 49  # 100 * 49 = 4900 < 5000: the batch mean
    out = model.train_step(batch, wrappers(model))
    x, y = preprocessed(ref, batch)
    mean = F.cross_entropy(ref.net1(x, mode='tensor'), y)
    assert float(out['loss1']) == pytest.approx(float(mean.detach()), 1e-5)
    model.epoch_step = 50  # 5000: zero loss (a step is still taken)
    out = model.train_step(batch, wrappers(model))
    assert float(out['loss1']) == 0


def test_coteaching_plus_keeps_a_lone_disagreement():
    """|D| = 1: int((1 - tau) * 1) = 0, so the official rule keeps it."""
    model = make('CoTeachingPlusClassifier', forget_rate=0.5, init_epoch=0)
    model.net2.load_state_dict(model.net1.state_dict())
    with torch.no_grad():  # make net2 disagree on a single sample
        model.train()
        x, _ = preprocessed(model, make_batch(N, seed=9))
        z = model.net1(x, mode='tensor')
    margins = z.max(1).values - z.topk(2, 1).values[:, 1]
    one = int(margins.argmin())
    model.train()
    out = None
    # shift net2's head bias so that only the sample of smallest margin
    # changes its argmax
    second = z[one].topk(2).indices[1]
    delta = torch.zeros(3)
    delta[second] = float(margins[one]) + 1e-4
    with torch.no_grad():
        model.net2.head.fc.bias += delta
        z2 = model.net2(x, mode='tensor')
    d = (z.argmax(1) != z2.argmax(1)).nonzero().reshape(-1).tolist()
    if d != [one]:
        pytest.skip('the toy networks disagree on more than one sample')
    out = model.train_step(make_batch(N, seed=9), wrappers(model))
    assert float(out['disagreement']) == pytest.approx(1 / N)
    assert model.last_record['selected1'].tolist() == [
        float(i == one) for i in range(N)
    ]


@pytest.mark.parametrize('rule', ['skip', 'official'])
def test_coteaching_plus_without_disagreement(rule):
    model = make(
        'CoTeachingPlusClassifier',
        forget_rate=0.5,
        init_epoch=0,
        empty_disagreement=rule)
    model.net2.load_state_dict(model.net1.state_dict())  # they agree
    model.train()
    b1 = params(model.net1)
    out = model.train_step(make_batch(N, seed=6), wrappers(model))
    moved = any(not torch.equal(a, p)
                for a, p in zip(b1, model.net1.parameters()))
    assert float(out['disagreement']) == 0
    assert moved == (rule == 'official')


def test_coteaching_plus_runs_co_teaching_before_init_epoch():
    model = make('CoTeachingPlusClassifier', forget_rate=0.5, init_epoch=20)
    model.train()
    model.start_epoch(18)  # 1-based epoch 19 < 20
    out = model.train_step(make_batch(N, seed=7), wrappers(model))
    assert 'disagreement' not in out
    model.start_epoch(19)
    assert model.disagreement_phase


def test_evaluation_modes():
    model = make('CoTeachingClassifier', forget_rate=0.5)
    model.eval()
    x = torch.randn(5, 1, 4, 4)
    z1, z2 = model.net1(x, mode='tensor'), model.net2(x, mode='tensor')
    for mode, expected in (('net1', z1.softmax(1)), ('net2', z2.softmax(1)),
                           ('logit_sum', (z1 + z2).softmax(1)),
                           ('mean_prob', (z1.softmax(1) + z2.softmax(1)) / 2)):
        model.eval_mode = mode
        torch.testing.assert_close(
            model(x, mode='tensor').softmax(1), expected, rtol=1e-5, atol=1e-6)
        pred = model.predict(x)
        torch.testing.assert_close(pred[0].pred_score, expected[0])
        torch.testing.assert_close(pred[2].net_logits,
                                   torch.stack([z1[2], z2[2]]))


def test_divide_mix_labelled_targets_come_from_the_peers_division(monkeypatch):
    """With no mixing (l = 1) and w = 1 from the peer, L_x is the CE of the
    given labels; with w = 0 it is the CE of the sharpened predictions."""
    import lnl_mm.models.classifiers.divide_mix_classifier as dm
    monkeypatch.setattr(dm, 'mix_coefficient', lambda alpha, gen: 1.0)
    model = make(
        'DivideMixClassifier', lambda_u=0.0, prior_weight=0.0, temperature=0.5)
    batch = make_batch(8, seed=8)
    for s, img in zip(batch['data_samples'], batch['inputs']):
        s.set_field(img.clone(), 'view2')  # view 2 = view 1
    model.init_sample_state(torch.zeros(8, dtype=torch.long))
    model.store.set_all('clean_prob_net2', torch.ones(8))  # peer of net1
    model.store.set_all('clean_prob_net1', torch.zeros(8))
    model.train()
    ref = copy.deepcopy(model)
    data = dict(stage='ssl', net=0, labeled=batch, unlabeled=None)
    out = model.train_step(data, wrappers(model))
    x, y = preprocessed(ref, batch)
    z = ref.net1(torch.cat([x, x]), mode='tensor')
    ce = F.cross_entropy(z, torch.cat([y, y]))
    assert float(out['loss_x_net1']) == pytest.approx(
        float(ce.detach()), rel=1e-5)
    # net2 trains on net1's division (w = 0): sharpened own predictions
    ref2 = copy.deepcopy(model)
    data = dict(stage='ssl', net=1, labeled=batch, unlabeled=None)
    out = model.train_step(data, wrappers(model))
    with torch.no_grad():
        ref2.net2.train()
        z2 = ref2.net2(x, mode='tensor')
        p = F.softmax(z2, 1)
        t = p**2 / (p**2).sum(1, keepdim=True)
    z2 = ref2.net2(torch.cat([x, x]), mode='tensor')
    soft = -(torch.cat([t, t]) * F.log_softmax(z2, 1)).sum(1).mean()
    assert float(out['loss_x_net2']) == pytest.approx(
        float(soft.detach()), rel=1e-4)


def test_divide_mix_loss_history():
    model = make('DivideMixClassifier', loss_history=3)
    model.init_sample_state(torch.zeros(2, dtype=torch.long))
    got = [
        model.push_losses(0, np.array(v))
        for v in ([1.0, 0.0], [0.0, 0.0], [0.5, 1.0], [0.0, 1.0])
    ]
    np.testing.assert_allclose(got[0], [1.0, 0.0])
    np.testing.assert_allclose(got[1], [0.5, 0.0])
    np.testing.assert_allclose(got[2], [0.5, 1 / 3])
    np.testing.assert_allclose(got[3], [0.5 / 3, 2 / 3])  # last 3 only


@pytest.mark.parametrize('kwargs, match', [
    (dict(lambda_u=-1.0), 'lambda_u must be a number >= 0'),
    (dict(temperature=0.0), 'temperature must be a number > 0'),
    (dict(alpha=-2.0), 'alpha must be a number > 0'),
    (dict(loss_history=0), 'loss_history must be an int >= 1'),
    (dict(eval_mode='vote'), 'eval_mode must be one of'),
])
def test_divide_mix_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        make('DivideMixClassifier', **kwargs)


@pytest.mark.parametrize('type, kwargs, match', [
    ('CoTeachingClassifier', dict(forget_rate=1.0), 'forget_rate must be'),
    ('CoTeachingClassifier', dict(forget_rate=-0.2), 'forget_rate must be'),
    ('JoCoRClassifier', dict(forget_rate=0.2,
                             co_lambda=2.0), 'co_lambda must be a number in'),
    ('CoTeachingPlusClassifier', dict(
        forget_rate=0.2, init_epoch=-1), 'init_epoch must be an int'),
    ('CoTeachingPlusClassifier',
     dict(forget_rate=0.2,
          empty_disagreement='never'), 'empty_disagreement must be one of'),
    ('CoTeachingClassifier', dict(
        forget_rate=0.2, schedule='cosine'), 'schedule must be one of'),
])
def test_bad_arguments(type, kwargs, match):
    with pytest.raises(ValueError, match=match):
        make(type, **kwargs)


def test_wrong_optimizers_are_refused():
    model = make('JoCoRClassifier', forget_rate=0.2)
    with pytest.raises(ValueError, match='set optim_wrapper.joint=True'):
        wrappers(model, joint=False)
    ct = make('CoTeachingClassifier', forget_rate=0.2)
    ct.loop_driven = False
    with pytest.raises(TypeError, match="type='TwoNetworkTrainLoop'"):
        ct.train_step(make_batch(4, 0), wrappers(ct))
    ct.start_epoch(0)
    with pytest.raises(TypeError, match='an OptimWrapperDict with'):
        ct.train_step(
            make_batch(4, 0),
            wrappers(make('JoCoRClassifier', forget_rate=0.2), joint=True))
    with pytest.raises(RuntimeError, match='trains in its own train_step'):
        ct(torch.randn(2, 1, 4, 4), [], mode='loss')


def test_divide_mix_full_step_in_the_official_order():
    """One semi-supervised step with labelled and unlabelled batches,
    re-derived as the official train(): net1 in train mode guesses with the
    peer in eval mode, one Beta draw and one permutation over all four
    groups, L_x + lambda_u r L_u (mean over classes too) + the prior
    penalty over all four groups; then the SGD step."""
    model = make('DivideMixClassifier', lambda_u=25.0, mix_seed=3)
    lab, unl = make_batch(8, seed=10), make_batch(8, seed=11, start=8)
    for batch, seed in ((lab, 12), (unl, 13)):
        g = torch.Generator().manual_seed(seed)
        for s in batch['data_samples']:
            s.set_field(torch.randn(1, 4, 4, generator=g), 'view2')
    model.init_sample_state(torch.zeros(16, dtype=torch.long))
    w = torch.linspace(0.1, 0.9, 16)
    model.store.set_all('clean_prob_net2', w)  # net1 trains on net2's
    model.train()
    ref = copy.deepcopy(model)
    before = params(model.net1)
    out = model.train_step(
        dict(
            stage='ssl',
            net=0,
            labeled=lab,
            unlabeled=unl,
            rampup_progress=4.0), wrappers(model, lr=0.1))
    # -- the official computation on the copy
    net, peer = ref.net1, ref.net2
    x1, y = preprocessed(ref, lab)
    u1, _ = preprocessed(ref, unl)
    pre = ref.data_preprocessor
    x2 = pre(
        dict(inputs=torch.stack([s.view2 for s in lab['data_samples']])),
        False)['inputs']
    u2 = pre(
        dict(inputs=torch.stack([s.view2 for s in unl['data_samples']])),
        False)['inputs']
    with torch.no_grad():
        net.train()
        peer.eval()
        sm = lambda m, v: F.softmax(m(v, mode='tensor'), 1)  # noqa: E731
        pu = (sm(net, u1) + sm(net, u2) + sm(peer, u1) + sm(peer, u2)) / 4
        tu = pu**2 / (pu**2).sum(1, keepdim=True)  # T = 0.5
        px = (sm(net, x1) + sm(net, x2)) / 2
        wx = w[:8].reshape(-1, 1)
        px = wx * F.one_hot(y, 3) + (1 - wx) * px
        tx = px**2 / (px**2).sum(1, keepdim=True)
    step = int(ref.num_steps) + 1
    lam = np.random.default_rng([3, step, 0]).beta(4.0, 4.0)
    lam = max(lam, 1 - lam)
    all_in = torch.cat([x1, x2, u1, u2])
    all_t = torch.cat([tx, tx, tu, tu])
    idx = torch.as_tensor(
        np.random.default_rng([3, step, 1, 0]).permutation(32))
    mixed_in = lam * all_in + (1 - lam) * all_in[idx]
    mixed_t = lam * all_t + (1 - lam) * all_t[idx]
    logits = net(mixed_in, mode='tensor')
    lx = -torch.mean(
        torch.sum(F.log_softmax(logits[:16], 1) * mixed_t[:16], 1))
    lu = torch.mean((torch.softmax(logits[16:], 1) - mixed_t[16:])**2)
    ramp = np.clip(4.0 / 16, 0, 1)
    pred_mean = torch.softmax(logits, 1).mean(0)
    prior = torch.ones(3) / 3
    penalty = torch.sum(prior * torch.log(prior / pred_mean))
    loss = lx + 25.0 * ramp * lu + penalty
    assert float(out['loss_x_net1']) == pytest.approx(
        float(lx.detach()), rel=1e-5)
    assert float(out['loss_u_net1']) == pytest.approx(
        float(lu.detach()), rel=1e-5)
    assert float(out['loss']) == pytest.approx(float(loss.detach()), rel=1e-5)
    assert float(out['lambda_u']) == pytest.approx(25.0 * ramp)
    assert_step_is(before, model.net1, grads_of(loss, net), lr=0.1)
    # the peer is not trained, and its BatchNorm statistics did not move
    for a, b in zip(ref.net2.state_dict().values(),
                    model.net2.state_dict().values()):
        assert torch.equal(a, b)


def test_two_network_accuracy_by_hand():
    from lnl_mm.evaluation import TwoNetworkAccuracy
    metric = TwoNetworkAccuracy()
    # s0 (label 0): net1 right, net2 wrong, both ensembles right;
    # s1 (label 2): net1 wrong, net2 right, both ensembles right;
    # s2 (label 1): net1 sure of 1, net2 split between 0 and 2: the summed
    # logits pick 0, the mean probability picks 1
    logits = torch.tensor([
        [[3.0, 0.0, 0.0], [0.0, 1.0, 0.0]],
        [[0.0, 2.0, 1.9], [0.0, 0.0, 10.0]],
        [[0.0, 10.0, 0.0], [12.0, 0.0, 11.5]],
    ])
    labels = [0, 2, 1]
    metric.process(None, [
        dict(net_logits=z, gt_label=torch.tensor([y]))
        for z, y in zip(logits, labels)
    ])
    got = metric.compute_metrics(metric.results)
    assert got == pytest.approx(
        dict(net1=200 / 3, net2=100 / 3, logit_sum=200 / 3, mean_prob=100.0))
    with pytest.raises(KeyError, match='net_logits'):
        metric.process(None, [dict(gt_label=torch.tensor([0]))])


def test_extra_augmented_view():
    from mmpretrain.registry import TRANSFORMS
    t = TRANSFORMS.build(
        dict(
            type='ExtraAugmentedView',
            transforms=[dict(type='RandomCrop', crop_size=8, padding=2)]))
    np.random.seed(0)
    img = np.arange(64, dtype=np.uint8).reshape(8, 8)
    out = t(dict(img=img.copy(), img_shape=(8, 8), ori_shape=(8, 8)))
    assert out['img'].tolist() == img.tolist()  # the first view untouched
    assert out['view2'].shape == (1, 8, 8)
    assert out['view2'].dtype == torch.uint8
    views = {
        tuple(t(dict(img=img.copy()))['view2'].flatten().tolist())
        for _ in range(10)
    }
    assert len(views) > 1  # independently augmented
    with pytest.raises(ValueError, match='overwrite the first view'):
        TRANSFORMS.build(
            dict(
                type='ExtraAugmentedView',
                transforms=[dict(type='RandomFlip')],
                key='img'))
    with pytest.raises(ValueError, match='needs transforms'):
        TRANSFORMS.build(dict(type='ExtraAugmentedView', transforms=[]))


@pytest.mark.parametrize('type, kwargs, error, match', [
    ('CoTeachingPlusClassifier',
     dict(forget_rate=0.2, softmax_as_logits='False'), TypeError,
     'softmax_as_logits must be a bool'),
    ('DivideMixClassifier', dict(warmup_penalty=1), TypeError,
     'warmup_penalty must be a bool'),
    ('CoTeachingClassifier', dict(forget_rate=0.2, exponent=0), ValueError,
     'exponent must be a number > 0'),
    ('JoCoRClassifier',
     dict(
         forget_rate=0.2,
         head=dict(loss=dict(type='LabelSmoothLoss', label_smooth_val=0.1))),
     ValueError, 'computes its losses itself'),
    ('CoTeachingClassifier',
     dict(
         forget_rate=0.2,
         data_preprocessor=dict(
             num_classes=3,
             batch_augments=dict(augments=[dict(type='Mixup', alpha=1.0)]))),
     ValueError, 'batch_augments'),
])
def test_more_refusals(type, kwargs, error, match):
    if 'head' in kwargs:
        kwargs['head'] = dict(
            type='LinearClsHead',
            num_classes=3,
            in_channels=8,
            **kwargs['head'])
    with pytest.raises(error, match=match):
        make(type, **kwargs)


def test_divide_mix_refuses_another_loss_history():
    saved = make('DivideMixClassifier', loss_history=5)
    saved.init_sample_state(torch.zeros(4, dtype=torch.long))
    model = make('DivideMixClassifier', loss_history=1)
    with pytest.raises(ValueError, match='loss_history=5'):
        model.load_state_dict(saved.state_dict())
