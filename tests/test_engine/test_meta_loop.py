# Copyright (c) lnl_mm contributors. All rights reserved.
"""Meta-learning inside real Runners: the meta loop, resume round trips
with two optimizers and per-sample labels, diagnostics, two processes."""
import copy
import json
import os.path as osp
import sys
import uuid
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F
from mmengine.config import Config
from mmengine.logging import MMLogger
from mmengine.optim import OptimWrapper, OptimWrapperDict
from mmengine.runner import Runner

from lnl_mm.utils.launch import hooks_by_name

HERE = osp.dirname(osp.abspath(__file__))
ROOT = osp.dirname(osp.dirname(HERE))
sys.path.insert(0, osp.join(HERE, '..', 'test_models', 'test_classifiers'))
from meta_toys import make_batch, make_classifier, sgd  # noqa: E402

CONFIGS = osp.join(ROOT, 'configs', 'meta')


def _cfg(name, work_dir, **options):
    cfg = Config.fromfile(osp.join(CONFIGS, name))
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


@pytest.mark.parametrize('name', [
    'mwnet_smallcnn_1xb64-30e_digits-sym40.py',
    'refurb-soft_smallcnn_1xb64-30e_digits-sym40.py',
])
def test_resume_round_trip(tmp_path, name):
    opts = {} if name.startswith('mwnet') else {'model.warmup_iters': 20}
    full = Runner.from_cfg(_cfg(name, tmp_path / 'full', **opts))
    full.train()
    ck = torch.load(tmp_path / 'full' / 'epoch_2.pth', weights_only=True)
    if name.startswith('mwnet'):
        assert set(ck['optimizer']) == {'model', 'meta'}
    else:
        rows = ck['state_dict']['store.soft_labels']
        assert rows.shape == (1247, 10)
        torch.testing.assert_close(rows.sum(1), torch.ones(1247))
        given = ck['state_dict']['store.given']
        assert rows.max(1).values.lt(1).any()  # refurbished rows
        assert torch.equal(rows.argmax(1), given)  # beta ~ 0.5 keeps argmax
    cfg = _cfg(
        name,
        tmp_path / 'resumed',
        resume=True,
        load_from=str(tmp_path / 'full' / 'epoch_2.pth'),
        **opts)
    resumed = Runner.from_cfg(cfg)
    resumed.train()
    a, b = full.model.state_dict(), resumed.model.state_dict()
    assert a.keys() == b.keys()
    for k in a:
        assert torch.equal(a[k], b[k]), k
    diag = json.loads(
        Path(tmp_path / 'resumed' / 'meta_diagnostics.json').read_text())
    assert [h['epoch'] for h in diag] == [1, 2, 3]
    assert osp.isfile(tmp_path / 'resumed' / 'plots' / 'meta_diagnostics.png')


def test_l2rw_run_separates_clean_and_noisy(tmp_path):
    name = 'l2rw-clamp_smallcnn_1xb64-30e_digits-sym40.py'
    Runner.from_cfg(_cfg(name, tmp_path)).train()
    diag = json.loads(Path(tmp_path / 'meta_diagnostics.json').read_text())
    last = diag[-1]
    assert last['n_clean'] + last['n_noisy'] == 1247
    assert last['weight_clean_mean'] > 1.1 > 0.9 > last['weight_noisy_mean']
    npz = dict(**__import__('numpy').load(tmp_path / 'meta' / 'epoch_3.npz'))
    assert set(npz) == {'sample_idx', 'is_noisy', 'weight'}
    summary = json.loads(Path(tmp_path / 'summary.json').read_text())
    assert summary['num_evaluations'] == 3  # no accuracy claim: 3 epochs


def test_meta_loop_needs_a_meta_loader_and_a_meta_model(tmp_path):
    name = 'l2rw-clamp_smallcnn_1xb64-30e_digits-sym40.py'
    cfg = _cfg(name, tmp_path)
    cfg.train_cfg.pop('meta_dataloader')
    with pytest.raises(ValueError, match='meta_dataloader'):
        Runner.from_cfg(cfg).train()
    cfg = _cfg(name, tmp_path)
    cfg.model.type = 'ImageClassifier'
    cfg.model.pop('weighting')
    with pytest.raises(TypeError, match='meta-learning classifiers'):
        Runner.from_cfg(cfg).train()


def test_baseline_config_trains_without_meta_loop(tmp_path):
    cfg = _cfg('ce_smallcnn_1xb64-30e_digits-sym40.py', tmp_path,
               **{'train_cfg.max_epochs': 1})
    Runner.from_cfg(cfg).train()
    assert not osp.exists(tmp_path / 'meta_diagnostics.json')


def test_two_gloo_processes_compute_the_single_process_weights(
        tmp_path, torchrun_worker):
    torchrun_worker(osp.join(HERE, 'meta_dist_worker.py'), tmp_path)
    for method, kwargs in (('L2RWClassifier', {}), (
            'MetaWeightNetClassifier',
            dict(meta_net=dict(type='MetaWeightNet', hidden=10)))):
        ranks = [
            torch.load(tmp_path / f'{method}_rank{r}.pt', weights_only=True)
            for r in range(2)
        ]
        model = make_classifier(method, **kwargs)
        wrapper = sgd(
            model, lr=0.1) if not kwargs else OptimWrapperDict(
                model=sgd(model, lr=0.1),
                meta=OptimWrapper(
                    torch.optim.Adam(model.meta_net.parameters(), lr=1e-2)))
        model.train_step(
            dict(train=make_batch(8, seed=1), meta=make_batch(6, seed=2)),
            wrapper)
        torch.testing.assert_close(
            torch.cat([r['weight'] for r in ranks]),
            model.last_record['weight'],
            rtol=1e-5,
            atol=1e-6)
        for k, v in model.state_dict().items():
            for r in ranks:
                torch.testing.assert_close(
                    r['state'][k],
                    v,
                    rtol=1e-5,
                    atol=1e-6,
                    msg=f'{method} {k}')
        for k in ranks[0]['state']:
            assert torch.equal(ranks[0]['state'][k], ranks[1]['state'][k])
    _check_bn_replicated(tmp_path)


def _check_bn_replicated(tmp_path):
    """With BatchNorm each rank normalises its half of the training batch;
    with the replicated meta batch every rank's meta gradient is that of the
    whole meta batch. The weights equal this computation written out: u the
    gradient of the mean meta CE (BN over the meta batch), g_i = -lr <u,
    grad l_i> with l_i from the forward of sample i's half (BN over that
    half), w = max(-g, 0) / sum over both halves."""
    ranks = [
        torch.load(tmp_path / f'bn_replicated_rank{r}.pt', weights_only=True)
        for r in range(2)
    ]
    model = make_classifier('L2RWClassifier', bn=True)
    model.train()
    train = model.data_preprocessor(make_batch(8, seed=1), True)
    meta = model.data_preprocessor(make_batch(6, seed=2), False)
    mlabels = torch.cat([s.gt_label for s in meta['data_samples']])
    labels = torch.cat([s.gt_label for s in train['data_samples']])
    ref = copy.deepcopy(model)  # BN buffers move in the forwards below
    u = torch.autograd.grad(
        F.cross_entropy(ref(meta['inputs'], mode='tensor'), mlabels),
        list(ref.parameters()))
    g = []
    for half in (slice(0, 4), slice(4, 8)):
        losses = F.cross_entropy(
            ref(train['inputs'][half], mode='tensor'),
            labels[half],
            reduction='none')
        for i in range(4):
            grads = torch.autograd.grad(
                losses[i], list(ref.parameters()), retain_graph=True)
            g.append(-0.1 * sum((a * b).sum() for a, b in zip(u, grads)))
    g = torch.stack(g)
    w = (-g).clamp(min=0)
    expected = w / w.sum()
    got = torch.cat([r['weight'] for r in ranks]) / 8
    torch.testing.assert_close(got, expected, rtol=1e-4, atol=1e-7)


def test_dist_train_routes_through_the_meta_wrapper(tmp_path, dist_train):
    """``tools/dist_train.sh`` with 2 gloo processes: the DDP wrapper hands
    the step to the classifier, and both ranks end with equal models."""
    cfg = osp.join(CONFIGS, 'proposal_smallcnn_1xb64-30e_digits-sym40.py')
    out = dist_train(cfg, tmp_path, 'train_cfg.max_epochs=1',
                     'model.warmup_iters=2').output
    assert 'MetaDistributedDataParallel' in out
    assert 'Meta diagnostics: weight_clean_mean=' in out
    ck = torch.load(tmp_path / 'epoch_1.pth', weights_only=True)
    assert int(ck['state_dict']['num_steps']) == 10  # 1247 / 64 / 2 ranks


def test_isic_meta_run_warns_when_the_meta_set_overlaps_the_test_set(tmp_path):
    """The ISIC clean-5 reweighting config on a tiny on-disk fixture (real
    JPEGs and CSVs), with a small backbone; the meta CSV shares an image
    with the test CSV, as the seed's clean file does."""
    import mmcv
    import numpy as np
    header = 'image,MEL,NV,BCC,AK,BKL,DF,VASC,SCC,UNK\n'
    (tmp_path / 'ISIC_2019_Training_Input').mkdir()
    rows = []
    rng = np.random.default_rng(0)
    for i in range(30):
        name = f'ISIC_{i:07d}'
        mmcv.imwrite(
            rng.integers(0, 255, (20, 20, 3), dtype=np.uint8),
            str(tmp_path / 'ISIC_2019_Training_Input' / f'{name}.jpg'))
        onehot = ['0.0'] * 9
        onehot[i % 8] = '1.0'
        rows.append(f'{name},' + ','.join(onehot) + '\n')
    stem = 'ISIC_2019_Training_GroundTruth'
    (tmp_path / f'{stem}_sub5000_train.csv').write_text(header +
                                                        ''.join(rows[:16]))
    (tmp_path / f'{stem}_sub1250_test.csv').write_text(header +
                                                       ''.join(rows[16:24]))
    (tmp_path /
     f'{stem}_meta125.csv').write_text(header +
                                       ''.join(rows[24:28] + rows[20:21]))
    cfg = Config.fromfile(
        osp.join(CONFIGS,
                 'l2rw-clamp_resnet50_1xb32-200e_isic2019-sym40-clean5.py'))
    cfg.work_dir = str(tmp_path / 'work')
    cfg.experiment_name = f'test_{uuid.uuid4().hex}'
    root = str(tmp_path)
    cfg.merge_from_dict({
        'train_cfg.max_epochs': 1,
        'train_dataloader.batch_size': 8,
        'train_dataloader.num_workers': 0,
        'train_dataloader.dataset.dataset.data_root': root,
        'train_dataloader.dataset.dataset.pipeline.2.scale': 16,
        'val_dataloader.num_workers': 0,
        'val_dataloader.dataset.data_root': root,
        'val_dataloader.dataset.pipeline.1.scale': 16,
        'val_dataloader.dataset.pipeline.2.crop_size': 16,
        'test_dataloader.dataset.data_root': root,
        'train_cfg.meta_dataloader.num_workers': 0,
        'train_cfg.meta_dataloader.dataset.data_root': root,
        'train_cfg.meta_dataloader.dataset.pipeline.2.scale': 16,
        'model.backbone.depth': 18,
        'model.head.in_channels': 512,
    })
    with pytest.warns(
            UserWarning,
            match='1 of the 5 meta images are also '
            'in the validation set'):
        runner = Runner.from_cfg(cfg)
        runner.train()
    model = runner.model
    assert model.last_record['weight'].shape == (8, )
    manifest = json.loads(
        Path(tmp_path / 'work' / 'noise_manifest.json').read_text())
    assert manifest['num_flipped'] == 6  # int(16 * 0.4), over the whole set


def test_meta_split_overlapping_the_training_set_is_refused(tmp_path):
    # num_per_class overridden on the meta side only: 20 meta images per
    # class, of which the training side excludes only 10
    cfg = _cfg('l2rw-clamp_smallcnn_1xb64-30e_digits-sym40.py', tmp_path,
               **{'train_cfg.meta_dataloader.dataset.num_per_class': 20})
    with pytest.raises(
            ValueError,
            match=r'train_cfg.meta_dataloader: \d+ '
            r'of the 200 meta images are also in the noisy '
            r"training set.*meta: split='meta', num_per_class=20"
            r".*train: split='train', num_per_class=10"):
        Runner.from_cfg(cfg).train()


@pytest.mark.parametrize('key', [
    'optim_wrapper.model.accumulative_counts',
    'optim_wrapper.meta.accumulative_counts'
])
def test_gradient_accumulation_is_refused(tmp_path, key):
    name = 'mwnet_smallcnn_1xb64-30e_digits-sym40.py'
    cfg = _cfg(name, tmp_path, **{key: 2})
    with pytest.raises(ValueError, match=f'{key}=2: gradient accumulation'):
        Runner.from_cfg(cfg).train()


def test_meta_loop_restarts_the_seeds_batch_parity_every_epoch(tmp_path):
    """The loop calls ``start_epoch``: the previous-batch proposal counts
    its steps from 0 in every epoch, as the seed's ``enumerate``."""
    cfg = _cfg(
        'proposal_smallcnn_1xb64-30e_digits-sym40.py', tmp_path, **{
            'train_cfg.max_epochs': 2,
            'model.state': 'previous_batch',
            'train_dataloader.drop_last': True
        })
    runner = Runner.from_cfg(cfg)
    runner.train()
    per_epoch = len(runner.train_dataloader)
    assert runner.iter == 2 * per_epoch
    assert int(runner.model.seed_epoch_step) == per_epoch
