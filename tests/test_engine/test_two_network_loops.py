# Copyright (c) lnl_mm contributors. All rights reserved.
"""The two-network loops in a real Runner: schedules, bit-exact resume,
DivideMix's division, refusals, two gloo processes."""
import json
import os.path as osp
import uuid
from pathlib import Path

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.logging import MMLogger
from mmengine.runner import Runner

from lnl_mm.models.selection import (clean_probability, forget_rate_at,
                                     min_max_normalize)
from lnl_mm.utils.launch import hooks_by_name

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CT = osp.join(ROOT, 'configs', 'coteaching',
              'coteaching_cnn4_1xb64-30e_digits-sym80.py')
JOCOR = osp.join(ROOT, 'configs', 'jocor',
                 'jocor_cnn4_1xb64-30e_digits-sym80.py')
DM = osp.join(ROOT, 'configs', 'dividemix',
              'dividemix_cnn4_1xb64-30e_digits-sym80.py')
ELRP = osp.join(ROOT, 'configs', 'elr',
                'elr-plus_cnn4_1xb64-30e_digits-sym80.py')


def _cfg(path, work_dir, **options):
    cfg = Config.fromfile(path)
    cfg.work_dir = str(work_dir)
    cfg.experiment_name = f'test_{uuid.uuid4().hex}'
    cfg.default_hooks.logger.interval = 1000
    cfg.merge_from_dict(
        hooks_by_name(
            cfg, {
                'custom_hooks.TrainingDynamicsHook.save_per_sample': False,
                'custom_hooks.TrainingDynamicsHook.plot': False
            }))
    cfg.merge_from_dict({'train_cfg.max_epochs': 3, **options})
    return cfg


@pytest.fixture(autouse=True)
def _clear_loggers():
    yield
    MMLogger._instance_dict.clear()


def _assert_same_state(a, b):
    sa, sb = a.model.state_dict(), b.model.state_dict()
    assert sa.keys() == sb.keys()
    for k in sa:
        assert torch.equal(sa[k], sb[k]), k


def _resume_from_epoch_2_ends_the_same(path, tmp_path, full, **options):
    """Resume ``full``'s epoch-2 checkpoint, train to the end, compare the
    states bit for bit; the resumed run's meta diagnostics."""
    resumed = Runner.from_cfg(
        _cfg(
            path,
            tmp_path / 'resumed',
            resume=True,
            load_from=str(tmp_path / 'full' / 'epoch_2.pth'),
            **options))
    resumed.train()
    _assert_same_state(full, resumed)
    return json.loads(
        (tmp_path / 'resumed' / 'meta_diagnostics.json').read_text())


@pytest.mark.parametrize('path', [CT, JOCOR])
def test_selection_methods_resume_bit_exact(tmp_path, path):
    full = Runner.from_cfg(_cfg(path, tmp_path / 'full'))
    rates = []
    model = full.model
    original = model.start_epoch

    def spy(epoch):
        original(epoch)
        rates.append(model.current_forget_rate())

    model.start_epoch = spy
    full.train()
    # the loop tells the model its epoch: the official ramp tau * e / 9
    assert rates == pytest.approx([forget_rate_at(k, 0.8) for k in range(3)])
    ck = torch.load(tmp_path / 'full' / 'epoch_3.pth', weights_only=True)
    joint = path == JOCOR
    assert set(ck['optimizer']) == ({'joint'} if joint else {'net1', 'net2'})
    assert any(k.startswith('net2.') for k in ck['state_dict'])
    diag = _resume_from_epoch_2_ends_the_same(path, tmp_path, full)
    key = 'selected_clean_mean' if joint else 'selected1_clean_mean'
    assert [h['epoch'] for h in diag] == [1, 2, 3] and key in diag[-1]


def test_divide_mix_division_and_resume(tmp_path):
    cfg = _cfg(DM, tmp_path / 'full', **{'train_cfg.warmup_epochs': 1})
    full = Runner.from_cfg(cfg)
    passes = []
    loop = full.train_loop
    original = loop.divide

    def spy():
        probs = original()
        passes.append([p.copy() for p in probs])
        return probs

    loop.divide = spy
    stages = []
    model = full.model
    step = model.two_network_step

    def spy_step(data, wrappers):
        stages.append((data['stage'], data['net']))
        return step(data, wrappers)

    model.two_network_step = spy_step
    loaders = []
    make_loader = loop._ssl_loader

    def spy_loader(indices, k, wrap, cycled):
        loaders.append((k, cycled, np.sort(indices)))
        return make_loader(indices, k, wrap, cycled)

    loop._ssl_loader = spy_loader
    full.train()
    # warm-up epoch: net1's pass, then net2's; then SSL passes net1, net2
    n_warm = len(loop.dataloader)
    assert stages[:2 * n_warm] == [('warmup', 0)] * n_warm + [('warmup', 1)
                                                              ] * n_warm
    ssl = stages[2 * n_warm:]
    assert set(ssl) == {('ssl', 0), ('ssl', 1)}
    first_net2 = ssl.index(('ssl', 1))
    assert set(ssl[:first_net2]) == {('ssl', 0)}
    assert len(passes) == 2  # epochs 2 and 3
    # the store holds the last division; the division is the mixture of
    # the normalised CE of each network (re-derived for the last epoch's
    # stored losses)
    store = model.store
    for k, name in enumerate(('net1', 'net2')):
        np.testing.assert_array_equal(
            getattr(store, f'clean_prob_{name}').numpy(),
            passes[-1][k].astype(np.float32))
        losses = getattr(store, f'losses_{name}').numpy()[:, 0]
        assert losses.min() == 0 and losses.max() == pytest.approx(1.0)
        seed = np.random.SeedSequence([cfg.randomness.seed, 2,
                                       k]).generate_state(1)[0]
        ref = clean_probability(min_max_normalize(losses), seed=int(seed))
        np.testing.assert_allclose(passes[-1][k], ref, atol=1e-5)
    # co-divide: each network trains on its peer's division
    last = passes[-1]
    for k, cycled, indices in loaders[-4:]:
        peer = last[1 - k]
        expected = np.flatnonzero(peer <= 0.5 if cycled else peer > 0.5)
        np.testing.assert_array_equal(indices, expected)
    # the stored losses are the networks' CE on the plain training images
    # (test pipeline, eval mode), min-max normalised: recomputed here from
    # the epoch-3 checkpoint's networks... at the start of epoch 3 they were
    # the epoch-2 networks
    from lnl_mm.engine.utils import predict_logits
    ck2 = Runner.from_cfg(
        _cfg(
            DM,
            tmp_path / 'check',
            load_from=str(tmp_path / 'full' / 'epoch_2.pth'),
            **{'train_cfg.warmup_epochs': 1}))
    ck2.load_or_resume()
    given = torch.as_tensor(loop.given)
    for k, net in enumerate(ck2.model.nets):
        _, logits = predict_logits(net, loop.eval_loader)
        ce = torch.nn.functional.cross_entropy(
            torch.from_numpy(logits), given, reduction='none').numpy()
        np.testing.assert_allclose(
            getattr(store, f'losses_{("net1", "net2")[k]}').numpy()[:, 0],
            min_max_normalize(ce),
            atol=1e-5)
    history = json.loads((tmp_path / 'full' / 'division.json').read_text())
    assert [h['epoch'] for h in history] == [2, 3]
    assert (tmp_path / 'full' / 'plots' / 'division.png').stat().st_size
    assert {'precision', 'recall', 'auc',
            'noisy_in_labeled'} <= set(history[-1]['net1'])
    # resume at epoch 2: the same division and the same networks
    resumed = Runner.from_cfg(
        _cfg(
            DM,
            tmp_path / 'resumed',
            resume=True,
            load_from=str(tmp_path / 'full' / 'epoch_2.pth'),
            **{'train_cfg.warmup_epochs': 1}))
    (tmp_path / 'resumed').mkdir(exist_ok=True)
    (tmp_path / 'resumed' / 'division.json').write_text(
        json.dumps(history[:1]))
    resumed.train()
    _assert_same_state(full, resumed)
    again = json.loads((tmp_path / 'resumed' / 'division.json').read_text())
    assert again == history


def test_elr_plus_trains_net1_then_net2_and_resumes_bit_exact(tmp_path):
    """Every epoch is net1's whole pass, then net2's, each with its own
    shuffle; the targets, the averages and their step counts are in the
    checkpoint, and a resumed run ends as the uninterrupted one."""
    small = {'train_dataloader.dataset.dataset.indices': 320}  # 5 batches
    full = Runner.from_cfg(_cfg(ELRP, tmp_path / 'full', **small))
    calls = []
    model = full.model
    original = model.train_step

    def spy(data, optim_wrapper):
        calls.append((full.train_loop.stage, data['net'],
                      [s.sample_idx for s in data['train']['data_samples']]))
        return original(data, optim_wrapper)

    model.train_step = spy
    full.train()
    per_pass = len(full.train_dataloader)
    assert full.train_loop.max_iters == 2 * 3 * per_pass == full.iter
    for epoch in range(3):
        part = calls[2 * epoch * per_pass:2 * (epoch + 1) * per_pass]
        assert [c[:2] for c in part
                ] == [('train', 0)] * per_pass + [('train_peer', 1)] * per_pass
        order1 = [i for c in part[:per_pass] for i in c[2]]
        order2 = [i for c in part[per_pass:] for i in c[2]]
        assert sorted(order1) == sorted(order2) and order1 != order2
    n = len(full.train_dataloader.dataset)
    for name in ('net1', 'net2'):
        assert int(getattr(model, f'ema_{name}').steps) == 3 * per_pass
        assert model.store.writes(f'elr_targets_{name}') == 3 * per_pass
    ck = torch.load(tmp_path / 'full' / 'epoch_3.pth', weights_only=True)
    assert ck['state_dict']['store.elr_targets_net2'].shape == (n, 10)
    assert 'ema_net1.steps' in ck['state_dict']
    diag = _resume_from_epoch_2_ends_the_same(ELRP, tmp_path, full, **small)
    assert 'elr_target_given_noisy_mean' in diag[-1]


def test_sequential_passes_refuse_iteration_schedules(tmp_path):
    cfg = _cfg(ELRP, tmp_path,
               **{'param_scheduler.convert_to_iter_based': True})
    with pytest.raises(ValueError, match='TwoNetworkTrainLoop: .*iteration'):
        Runner.from_cfg(cfg).train()


def test_loops_refuse_other_models(tmp_path):
    cfg = _cfg(CT, tmp_path)
    cfg.model.type = 'ImageClassifier'
    for key in ('forget_rate', 'eval_mode'):
        cfg.model.pop(key)
    with pytest.raises(TypeError, match='trains two-network classifiers'):
        Runner.from_cfg(cfg).train()
    cfg = _cfg(CT, tmp_path / 'b')
    cfg.train_cfg.type = 'DivideMixTrainLoop'
    with pytest.raises(TypeError, match='trains DivideMixClassifier'):
        Runner.from_cfg(cfg).train()


def test_the_default_loop_is_refused(tmp_path):
    cfg = _cfg(CT, tmp_path)
    cfg.train_cfg = dict(by_epoch=True, max_epochs=1)
    with pytest.raises(TypeError, match="type='TwoNetworkTrainLoop'"):
        Runner.from_cfg(cfg).train()


@pytest.mark.parametrize('options, match', [
    ({
        'train_cfg.ssl_batch_size': 0
    }, 'ssl_batch_size must be an int >= 1'),
    ({
        'train_cfg.p_threshold': 'high'
    }, 'p_threshold must be a number'),
    ({
        'train_cfg.warmup_epochs': -1
    }, 'warmup_epochs must be an int >= 0'),
    ({
        'param_scheduler.convert_to_iter_based': True
    }, 'iteration-based'),
])
def test_divide_mix_loop_refusals(tmp_path, options, match):
    cfg = _cfg(DM, tmp_path, **options)
    with pytest.raises(ValueError, match=match):
        Runner.from_cfg(cfg).train()


def test_gradient_accumulation_is_refused(tmp_path):
    cfg = _cfg(CT, tmp_path, **{'optim_wrapper.accumulative_counts': 2})
    with pytest.raises(ValueError, match='accumulative_counts=2'):
        Runner.from_cfg(cfg).train()


def test_divide_mix_needs_the_second_view(tmp_path):
    cfg = _cfg(DM, tmp_path, **{'train_cfg.warmup_epochs': 0})
    cfg.train_dataloader.dataset.dataset.pipeline = [
        dict(type='PackNoisyInputs')
    ]
    with pytest.raises(KeyError, match='ExtraAugmentedView'):
        Runner.from_cfg(cfg).train()


def test_two_gloo_processes_divide_as_one(tmp_path, dist_train):
    """After the same warm-up checkpoint, two gloo ranks (each predicting
    half of the training set) fit the same mixture as one process."""
    one = Runner.from_cfg(
        _cfg(DM, tmp_path / 'warm', **{
            'train_cfg.warmup_epochs': 1,
            'train_cfg.max_epochs': 1
        }))
    one.train()
    ckpt = str(tmp_path / 'warm' / 'epoch_1.pth')
    single = Runner.from_cfg(
        _cfg(
            DM,
            tmp_path / 'single',
            resume=True,
            load_from=ckpt,
            **{
                'train_cfg.warmup_epochs': 1,
                'train_cfg.max_epochs': 2
            }))
    single.train()
    dist_train(DM, tmp_path / 'two', 'train_cfg.warmup_epochs=1',
               'train_cfg.max_epochs=2', 'resume=True', f'load_from={ckpt}')
    a = torch.load(tmp_path / 'two' / 'epoch_2.pth', weights_only=True)
    b = single.model.state_dict()
    for name in ('clean_prob_net1', 'clean_prob_net2', 'losses_net1'):
        torch.testing.assert_close(a['state_dict'][f'store.{name}'],
                                   b[f'store.{name}'])
    hist = json.loads(Path(tmp_path / 'two' / 'division.json').read_text())
    assert hist[-1]['epoch'] == 2


def test_two_gloo_ranks_step_as_one_process(tmp_path, torchrun_worker):
    """Each rank its half of the batch (forget 0.3: int(0.7 * 16) = 11 kept
    globally, not 2 * int(0.7 * 8) = 10): the selection over the gathered
    losses, the global means and the summed gradients give the weights of
    one process on the whole batch; ELR+ (without mixup) also its gathered
    target rows and its weight averages."""
    torchrun_worker(
        osp.join(
            osp.dirname(osp.abspath(__file__)), 'two_network_dist_worker.py'),
        tmp_path)
    from meta_toys import make_batch
    from two_network_dist_worker import METHODS, make, step_data, wrappers
    for type, kwargs, joint in METHODS:
        ranks = [
            torch.load(tmp_path / f'{type}_rank{r}.pt', weights_only=True)
            for r in range(2)
        ]
        model = make(type, **kwargs)
        out = model.train_step(
            step_data(type, make_batch(16, seed=3)), wrappers(model, joint))
        for key, value in model.last_record.items():
            if key != 'sample_idx':
                torch.testing.assert_close(
                    torch.cat([r['record'][key] for r in ranks]), value)
        assert float(sum(r['loss'] for r in ranks)) == pytest.approx(
            float(out['loss']), rel=1e-5)
        for k, v in model.state_dict().items():
            for r in ranks:
                torch.testing.assert_close(
                    r['state'][k], v, rtol=1e-5, atol=1e-6, msg=k)
