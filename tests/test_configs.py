# Copyright (c) lnl_mm contributors. All rights reserved.
"""Every leaf config parses, builds its model and computes a training loss."""
import copy
import glob
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample

from lnl_mm.models.classifiers import (DivideMixClassifier, ELRClassifier,
                                       SOPClassifier, TwoNetworkClassifier)
from lnl_mm.utils.launch import check_config_keys

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
CONFIGS = sorted(
    p for p in glob.glob(
        osp.join(ROOT, 'configs', '**', '*.py'), recursive=True)
    if '_base_' not in p)


def _input_shape(cfg):
    backbone = cfg.model.backbone
    channels = 1 if len(cfg.data_preprocessor.get('mean', [0] * 3)) == 1 \
        else 3
    if 'input_size' in backbone:
        return channels, backbone.input_size
    if backbone.type in ('CNN8Layer', 'ResNet_CIFAR', 'CIFARResNet',
                         'PreActResNet18', 'CoTeachingCNN', 'JoCoRCNN',
                         'LeNetSmall'):
        return channels, 32
    if backbone.type == 'MLPNet':
        return channels, 28
    if backbone.type == 'SmallCNN':
        return channels, 8
    return None  # ImageNet-sized backbones: build only


def _denoiser_step(cfg, model):
    noise = [
        t for t in cfg.train_dataloader.dataset.pipeline
        if t.type == 'AddImageNoise'
    ][0]
    assert (noise.get('num_copies', 1) == 2) == (cfg.model.mode == 'n2n')
    val = cfg.val_dataloader.dataset
    for val_set in val.get('datasets', [val]):  # ConcatDataset of test sets
        val_noise = val_set.pipeline[0]
        assert val_noise.style == noise.style and val_noise.seed == 0
    torch.manual_seed(0)
    samples = []
    for _ in range(2):
        sample = DataSample()
        sample.set_field(torch.rand(1, 40, 40), 'gt_img')
        sample.set_field(torch.rand(1, 40, 40), 'noisy2')
        samples.append(sample)
    losses = model(torch.rand(2, 1, 40, 40), samples, mode='loss')
    assert torch.isfinite(losses['loss'])


def _is_meta(cfg):
    return cfg.get('train_cfg', {}).get('type') in ('MetaEpochBasedTrainLoop',
                                                    'DynamicLossTrainLoop')


def _build_pipelines(cfg):
    """Every transform of the train and val pipelines constructs."""
    from mmengine.dataset import Compose
    from mmengine.registry import init_default_scope
    init_default_scope('mmpretrain')
    for loader in ('train_dataloader', 'val_dataloader'):
        todo = [cfg[loader].dataset]
        while todo:  # through wrappers and ConcatDataset
            dataset = todo.pop()
            todo += [dataset.dataset] if 'dataset' in dataset else []
            todo += list(dataset.get('datasets', []))
            Compose(dataset.get('pipeline', []))


def _check_meta_config(cfg, model):
    """The meta loader and the training set split the same data."""
    assert hasattr(model, 'meta_train_step'), cfg.model.type
    assert 'MetaDistributedDataParallel' in cfg.model_wrapper_cfg.type
    assert any(h.type == 'MetaDiagnosticsHook' for h in cfg.custom_hooks)
    if cfg.train_cfg.type == 'DynamicLossTrainLoop':
        assert cfg.train_dataloader.sampler.type == 'ExcludeSampler'
        return
    meta = cfg.train_cfg.meta_dataloader.dataset
    train = cfg.train_dataloader.dataset
    assert train.type == 'NoisyLabelDataset'
    if meta.type == 'MetaSplitDataset':
        inner = train.dataset
        while inner.type != 'MetaSplitDataset':  # e.g. LongTailDataset
            inner = inner.dataset
        assert inner.split == 'train'
        assert meta.split == 'meta'
        for key in ('num_per_class', 'seed'):
            assert inner[key] == meta[key], key
        assert inner.dataset.type == meta.dataset.type


def _meta_step(cfg, model, channels, size):
    from mmengine.optim import build_optim_wrapper
    from mmengine.registry import init_default_scope
    init_default_scope('mmpretrain')  # as the Runner does
    num_classes = cfg.model.head.num_classes
    torch.manual_seed(0)

    def batch(n):
        samples = []
        for i in range(n):
            s = DataSample().set_gt_label(i % num_classes)
            s.set_metainfo(dict(sample_idx=i, clean_label=i % num_classes))
            s.set_field(
                torch.randint(
                    0, 256, (channels, size, size), dtype=torch.uint8),
                'weak_img')
            samples.append(s)
        return dict(
            inputs=[torch.rand(channels, size, size) * 255 for _ in range(n)],
            data_samples=samples)

    model.init_sample_state(torch.arange(4) % num_classes)
    wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    steps = [dict(train=batch(4), meta=batch(3))]
    if cfg.train_cfg.type == 'DynamicLossTrainLoop':
        steps += [
            dict(train=batch(4), stage='warmup'),
            dict(train=batch(4), stage='finetune')
        ]
    for data in steps:
        log_vars = model.train_step(data, wrapper)
        assert all(
            torch.isfinite(torch.as_tensor(v)).all()
            for v in log_vars.values())


def _two_network_step(cfg, model, channels, size):
    """One training step of a two-network config (each DivideMix stage),
    with its optimizers and a batch carrying sample_idx (and the second
    view for DivideMix)."""
    from mmengine.optim import build_optim_wrapper
    wrappers = build_optim_wrapper(model, copy.deepcopy(cfg.optim_wrapper))
    assert type(cfg.train_cfg.type) is str and 'TrainLoop' in \
        cfg.train_cfg.type
    torch.manual_seed(0)
    n = 4  # the smallest batch that mixes labelled and unlabelled rows

    def batch():
        samples = []
        for i in range(n):
            s = DataSample().set_gt_label(i % cfg.model.head.num_classes)
            s.set_metainfo(dict(sample_idx=i))
            s.set_field(
                torch.randint(
                    0, 255, (channels, size, size), dtype=torch.uint8),
                'view2')
            samples.append(s)
        inputs = [
            torch.randint(0, 255, (channels, size, size),
                          dtype=torch.uint8).float() for _ in range(n)
        ]
        return dict(inputs=inputs, data_samples=samples)

    model.init_sample_state(torch.arange(n) % cfg.model.head.num_classes)
    model.start_epoch(0)
    model.train()
    if isinstance(model, DivideMixClassifier):
        steps = [dict(stage='warmup', net=k, train=batch()) for k in (0, 1)]
        steps += [
            dict(stage='ssl', net=k, labeled=batch(), unlabeled=batch())
            for k in (0, 1)
        ]
    elif model.sequential_passes:  # ELR+: net1's pass, then net2's
        steps = [dict(stage='train', net=k, train=batch()) for k in (0, 1)]
    else:
        steps = [batch()]
    for data in steps:
        out = model.train_step(data, wrappers)
        assert torch.isfinite(out['loss']), out


@pytest.mark.parametrize(
    'path', CONFIGS, ids=[osp.relpath(p, ROOT) for p in CONFIGS])
def test_config_builds_and_trains_one_step(path):
    cfg = Config.fromfile(path)
    assert cfg.default_scope == 'mmpretrain'
    assert cfg.custom_imports['imports'] == ['lnl_mm']
    warned = []
    assert check_config_keys(cfg, warned.append, lambda m: None) == [], warned
    model = MODELS.build(cfg.model)
    _build_pipelines(cfg)
    if _is_meta(cfg):
        _check_meta_config(cfg, model)
    if cfg.model.type == 'SelfSupervisedDenoiser':
        _denoiser_step(cfg, model)
        return
    num_classes = cfg.model.head.num_classes
    assert cfg.data_preprocessor.num_classes == num_classes
    shape = _input_shape(cfg)
    if shape is None:
        return
    channels, size = shape
    if 'ResNet' in cfg.model.backbone.type:
        size = 32
    if _is_meta(cfg):
        _meta_step(cfg, model, channels, size)
        return
    if isinstance(model, TwoNetworkClassifier):
        _two_network_step(cfg, model, channels, size)
        return
    takers = [
        m for m in model.modules()
        if callable(getattr(m, 'set_train_label_counts', None))
    ]
    # a loss that needs the label counts comes with the hook that gives them
    assert bool(takers) == any(h.type == 'TrainLabelCountsHook'
                               for h in cfg.custom_hooks)
    for m in takers:  # what the hook does before training
        m.set_train_label_counts([1] * num_classes)
    # a correction loss without a matrix comes with the hook that sets one
    correction = [m for m in model.modules() if hasattr(m, 'has_transition')]
    hooked = any(h.type == 'LossCorrectionHook' for h in cfg.custom_hooks)
    assert hooked == any(not m.given_transition for m in correction)
    for m in correction:  # the hook's warm-up (oracle: the hook sets T)
        m.warming_up = True
    torch.manual_seed(0)
    inputs = torch.randn(4, channels, size, size)
    samples = [DataSample().set_gt_label(i % num_classes) for i in range(4)]
    if cfg.model.get('ratio_consistency', 0) > 0:  # SOP+: the second view
        for sample in samples:
            sample.set_field(
                torch.randint(
                    0, 256, (channels, size, size), dtype=torch.uint8),
                'view2')
    # a model with per-sample state comes with the hook that sizes it
    sized = any(h.type == 'SampleStoreHook' for h in cfg.custom_hooks)
    assert sized == isinstance(model, (ELRClassifier, SOPClassifier))
    if sized:  # what the hook does before training
        n = model.sop.u.size(0) if isinstance(model, SOPClassifier) else 4
        model.init_sample_state(np.arange(n) % num_classes)
        for i, sample in enumerate(samples):
            sample.set_metainfo(dict(sample_idx=i))
    losses = model(inputs, samples, mode='loss')
    assert all(torch.isfinite(v) for k, v in losses.items() if 'loss' in k)


ROBUST_PROTOCOLS = sorted(
    osp.basename(p)[3:]
    for p in glob.glob(osp.join(ROOT, 'configs', 'robust_losses', 'ce_*.py')))


@pytest.mark.parametrize('protocol', ROBUST_PROTOCOLS)
def test_every_loss_runs_from_the_ce_leaf_of_its_protocol(protocol):
    """The overrides of configs/robust_losses/README.md: every loss with a
    preset for the protocol's dataset, and NMAE / NRCE by type, build from
    the CE leaf."""
    from lnl_mm.models.losses.presets import LOSS_TYPES
    base = Config.fromfile(
        osp.join(ROOT, 'configs', 'robust_losses', f'ce_{protocol}'))
    built = []
    for key in sorted(LOSS_TYPES):
        cfg = Config.fromfile(
            osp.join(ROOT, 'configs', 'robust_losses', f'ce_{protocol}'))
        cfg.merge_from_dict({'model.head.loss.loss': key})
        try:
            loss = MODELS.build(cfg.model.head.loss)
        except KeyError as e:  # no preset: the message says what exists
            assert 'sets no hyper-parameters' in str(e)
            continue
        assert type(loss).__name__ == LOSS_TYPES[key]
        built.append(key)
    assert {'CE', 'GCE', 'NCE+RCE', 'NFL+RCE'} <= set(built)
    for loss_type in ('NMAELoss', 'NRCELoss'):
        cfg = base.copy()
        cfg.merge_from_dict({
            'model.head.loss._delete_': True,
            'model.head.loss.type': loss_type
        })
        assert type(MODELS.build(cfg.model.head.loss)).__name__ == loss_type


def test_cifar10_normalisation_follows_each_protocol():
    """ALFs / APL's std (0.2470, 0.2435, 0.2616) for the robust losses,
    GLS's (0.2023, 0.1994, 0.2010) for GLS (fidelity A5)."""
    alfs = Config.fromfile(
        osp.join(ROOT, 'configs', 'robust_losses',
                 'ce_cnn8_1xb128-120e_cifar10-sym40.py'))
    gls = Config.fromfile(
        osp.join(ROOT, 'configs', 'gls',
                 'gls_resnet34_1xb128-100e_cifar10-sym40.py'))
    assert [round(s / 255, 4)
            for s in alfs.data_preprocessor.std] == [0.247, 0.2435, 0.2616]
    assert [round(s / 255, 4)
            for s in gls.data_preprocessor.std] == [0.2023, 0.1994, 0.201]


def test_apl_mnist_protocol_is_apl_s_schedule():
    """APL's configs/mnist/*.yaml: wd 1e-2, Nesterov, cosine to 0.001
    (fidelity A4); the APL README command uses the apl_code preset."""
    cfg = Config.fromfile(
        osp.join(ROOT, 'configs', 'robust_losses',
                 'ce_cnn4_1xb128-apl-50e_mnist-sym40.py'))
    opt = cfg.optim_wrapper.optimizer
    assert (opt.lr, opt.momentum, opt.weight_decay,
            opt.nesterov) == (0.01, 0.9, 1e-2, True)
    assert cfg.param_scheduler.eta_min == 0.001
    assert cfg.model.head.loss.source == 'apl_code'
    apl = Config.fromfile(
        osp.join(ROOT, 'configs', 'robust_losses',
                 'nce-rce_resnet34_1xb128-200e_cifar100-sym40.py'))
    loss = MODELS.build(apl.model.head.loss)
    assert (loss.alpha, loss.beta) == (10, 0.1)


SEED_LEAF = osp.join(
    ROOT, 'configs', 'meta',
    'l2rw-sigmoid_resnet50-in1k_4xb32-200e_isic2019-seed-sym40-clean5.py')


def test_isic_seed_protocol_optimizer_and_pretrained_backbone(tmp_path):
    """C1, C2: SGD without momentum, wd 1e-4, lr 1e-3 halved every 50
    epochs, scaled by the number of GPUs (linear rule, base batch 32 = the
    per-GPU batch); the backbone loads a torchvision ResNet-50 file."""
    import torchvision
    cfg = Config.fromfile(SEED_LEAF)
    opt = cfg.optim_wrapper.optimizer
    assert (opt.type, opt.lr, opt.momentum, opt.weight_decay) == ('SGD', 1e-3,
                                                                  0.0, 1e-4)
    assert cfg.param_scheduler.gamma == 0.5 and \
        cfg.param_scheduler.step_size == 50
    assert cfg.auto_scale_lr.enable and cfg.auto_scale_lr.base_batch_size \
        == cfg.train_dataloader.batch_size == 32
    torch.manual_seed(1)
    reference = torchvision.models.resnet50(weights=None)
    path = tmp_path / 'resnet50-19c8e357.pth'
    torch.save(reference.state_dict(), path)
    cfg.model.backbone.init_cfg.checkpoint = str(path)
    model = MODELS.build(cfg.model)
    model.init_weights()
    ours = model.backbone.state_dict()
    theirs = reference.state_dict()
    loaded = [k for k in ours if k in theirs]
    assert len(loaded) == len(ours)  # every backbone tensor from the file
    for k in loaded:
        assert torch.equal(ours[k], theirs[k]), k
    assert model.head.fc.out_features == 9


def test_isic_seed_test_protocol_is_16_augmented_passes(tmp_path):
    """C4: tools/test.py evaluates the seed's way, the 1,250 test images
    through the random training augmentation, 16 times."""
    import mmcv
    from mmengine.registry import init_default_scope
    from mmpretrain.registry import DATASETS
    init_default_scope('mmpretrain')
    cfg = Config.fromfile(SEED_LEAF)
    root = tmp_path / 'isic'
    (root / 'seed').mkdir(parents=True)
    (root / 'ISIC_2019_Training_Input').mkdir()
    rows = []
    for i in range(3):
        mmcv.imwrite(
            np.random.default_rng(i).integers(
                0, 256, (300, 300, 3), dtype=np.uint8),
            str(root / 'ISIC_2019_Training_Input' / f'ISIC_{i:07d}.jpg'))
        onehot = ['0.0'] * 9
        onehot[i] = '1.0'
        rows.append(f'ISIC_{i:07d},' + ','.join(onehot) + '\n')
    (root / 'seed' /
     'ISIC_2019_Training_GroundTruth_sub1250_test.csv').write_text(
         ''.join(rows))
    ds_cfg = cfg.test_dataloader.dataset
    ds_cfg.dataset.data_root = str(root)
    dataset = DATASETS.build(ds_cfg)
    assert type(dataset).__name__ == 'RepeatDataset' and len(dataset) == 48
    a = dataset[0]['inputs']
    b = dataset[3]['inputs']  # the same image, another pass
    assert a.shape == (3, 224, 224) and not torch.equal(a, b)
    # validation during training keeps our centre crop
    assert 'CenterCrop' in [
        t['type'] for t in cfg.val_dataloader.dataset.pipeline
    ]


def test_official_protocol_details_of_the_meta_leaves():
    """D3: the Dynamic Loss CIFAR-100 leaf normalises with the CIFAR-100
    statistics of cor_cifar100.py; C5: the soft-refurbishment ISIC leaf has
    no clipping and cycles every clean image, 5 at a time, in file order."""
    c100 = Config.fromfile(
        osp.join(ROOT, 'configs', 'metadynamic',
                 'metadynamic_resnet32_1xb512-325e_cifar100-cor40-imb0.1.py'))
    assert c100.data_preprocessor.mean == [129.304, 124.070, 112.434]
    assert c100.data_preprocessor.std == [68.170, 65.392, 70.418]
    aug = [
        t['type']
        for t in c100.train_dataloader.dataset.dataset.dataset.pipeline
    ]
    assert 'CIFAR10AutoAugment' in aug  # the official CIFAR-100 config too
    soft = Config.fromfile(
        osp.join(ROOT, 'configs', 'meta',
                 'refurb-soft_resnet50_1xb32-200e_isic2019-sym40-clean5.py'))
    hard = Config.fromfile(
        osp.join(ROOT, 'configs', 'meta',
                 'refurb-hard_resnet50_1xb32-200e_isic2019-sym40-clean5.py'))
    assert soft.optim_wrapper.clip_grad is None
    assert hard.optim_wrapper.clip_grad == dict(max_norm=0.25)
    meta = soft.train_cfg.meta_dataloader
    assert meta.dataset.indices is None and meta.batch_size == 5
    assert meta.sampler.shuffle is False
    assert hard.train_cfg.meta_dataloader.dataset.indices == 5


def _noise_of(cfg):
    dataset = cfg.train_dataloader.dataset
    while dataset.get('type') != 'NoisyLabelDataset':
        dataset = dataset.dataset
    return dataset.noise.to_dict()


MNIST_ASYM40 = [
    p for p in CONFIGS if osp.basename(p).endswith('-asym40.py') and (
        '_digits-' in p or 'mnist-' in p)
]


@pytest.mark.parametrize(
    'path', MNIST_ASYM40, ids=[osp.basename(p) for p in MNIST_ASYM40])
def test_mnist_asym40_leaves_carry_the_fragment_noise_exactly(path):
    # each such leaf writes the noise out (a fragment cannot be a second
    # base beside a protocol); this keeps the copies equal to the fragment
    # that --noise asym40_mnist applies, with no option of the base's
    # symmetric noise left over
    fragment = Config.fromfile(
        osp.join(ROOT, 'configs', '_base_', 'noise', 'asym40_mnist.py'))
    assert _noise_of(Config.fromfile(path)) == \
        fragment.train_dataloader.dataset.noise.to_dict()


def test_the_mnist_asym40_leaves_are_found():
    assert len(MNIST_ASYM40) >= 13


@pytest.mark.parametrize('base', [
    'fashion_mnist_bs128', 'mnist_bs128', 'digits_bs64', 'cifar10_bs128',
    'cifar100_bs128', 'cifar100_rot20_bs128'
])
def test_fixed_size_dataset_bases_stack_their_batches(base):
    cfg = Config.fromfile(
        osp.join(ROOT, 'configs', '_base_', 'datasets', f'{base}.py'))
    for loader in (cfg.train_dataloader, cfg.val_dataloader):
        assert loader.collate_fn == dict(type='default_collate')


def test_stacked_batches_preprocess_exactly_like_lists(tmp_path):
    """default_collate (one stacked uint8 batch) against pseudo_collate
    (a list the preprocessor normalises image by image): bit for bit."""
    from idx_fixture import write_mnist_fixture
    from mmengine.dataset import default_collate, pseudo_collate
    from mmpretrain.registry import DATASETS
    cfg = Config.fromfile(
        osp.join(ROOT, 'configs', 'noisy_baseline',
                 'ce_cnn4_1xb128-30e_fashionmnist-sym80.py'))
    ds_cfg = cfg.train_dataloader.dataset
    ds_cfg.dataset.data_root = write_mnist_fixture(tmp_path, 64, 8)
    ds_cfg.dataset.indices = None
    ds = DATASETS.build(ds_cfg)
    items = [ds[i] for i in (5, 0, 63, 17, 17, 2)]
    pre = MODELS.build(
        dict(type='ClsDataPreprocessor', **cfg.data_preprocessor))
    a = pre(pseudo_collate(copy.deepcopy(items)), training=True)
    b = pre(default_collate(copy.deepcopy(items)), training=True)
    assert a['inputs'].dtype == torch.float32
    assert torch.equal(a['inputs'], b['inputs'])
    for sa, sb in zip(a['data_samples'], b['data_samples']):
        assert torch.equal(sa.gt_label, sb.gt_label)
        assert (sa.sample_idx, sa.clean_label, sa.is_noisy) == \
            (sb.sample_idx, sb.clean_label, sb.is_noisy)
