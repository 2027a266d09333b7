# Copyright (c) lnl_mm contributors. All rights reserved.
"""``--noise``: every fragment of configs/_base_/noise applies to a leaf."""
import os.path as osp

import numpy as np
import pytest
from mmengine.config import Config

from lnl_mm.datasets.noise import make_noisy_labels
from lnl_mm.utils.noise_fragment import (NOISE_DIR, apply_noise_fragment,
                                         available_fragments)

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
LEAF = osp.join(ROOT, 'configs', 'robust_losses',
                'ce_cnn4_1xb128-20e_fashionmnist-sym40.py')
SYNTHETIC = [
    f for f in available_fragments()
    if 'cifar' not in f or f.startswith('asym')
]


def test_the_documented_fragments_exist():
    assert set(available_fragments()) >= {
        'sym20', 'sym40', 'sym50', 'sym80', 'unif40', 'flip40', 'asym40_mnist',
        'asym40_cifar10', 'asym40_cifar100', 'pairflip45', 'instance40',
        'cifar10n_aggre', 'cifar10n_rand1', 'cifar10n_worst', 'cifar100n_noisy'
    }


@pytest.mark.parametrize('name', SYNTHETIC)
def test_each_synthetic_fragment_draws_its_noise(name):
    """Applied to a leaf, the noise options are complete and draw labels
    at the fragment's rate (every generator on 1,000 samples per class)."""
    cfg = Config.fromfile(LEAF)
    noise = apply_noise_fragment(cfg, name)
    assert cfg.train_dataloader.dataset.noise.to_dict() == noise
    labels = np.repeat(np.arange(10), 1000)
    features = np.random.default_rng(0).normal(size=(labels.size, 16)) \
        if noise['type'] == 'instance' else None
    noisy = make_noisy_labels(labels, 10, noise, seed=0, features=features)
    rate = float((noisy != labels).mean())
    if name.startswith('asym40_mnist'):  # 5 of 10 classes flip
        assert rate == pytest.approx(0.2, abs=0.01)
    elif name.startswith('asym'):
        assert 0 < rate <= 0.4
    elif name == 'unif40':  # 1 in 10 draws keeps the label
        assert rate == pytest.approx(0.36, abs=0.04)
    else:
        assert rate == pytest.approx(noise['rate'], abs=0.06)


def test_a_fragment_replaces_the_noise_entirely():
    cfg = Config.fromfile(LEAF)
    apply_noise_fragment(cfg, 'asym40_cifar10')
    apply_noise_fragment(cfg, 'sym80')
    assert cfg.train_dataloader.dataset.noise.to_dict() == dict(
        type='symmetric', rate=0.8)  # no class_map left over


def test_real_label_sets_point_at_the_cifar_n_file():
    cfg = Config.fromfile(LEAF)
    noise = apply_noise_fragment(cfg, 'cifar10n_worst')
    assert noise == dict(
        type='from_file',
        path='data/cifar-n/CIFAR-10_human.pt',
        key='worse_label')


def test_bad_fragments_are_refused(tmp_path):
    cfg = Config.fromfile(LEAF)
    with pytest.raises(
            FileNotFoundError,
            match=r"no such fragment in .*; choose "
            r"from \[.*'sym80'"):
        apply_noise_fragment(cfg, 'sym99')
    with pytest.raises(ValueError, match='sets only train_dataloader'):
        apply_noise_fragment(cfg, LEAF)  # a whole leaf, not a fragment
    sneaky = tmp_path / 'sneaky.py'  # a fragment that also sets a batch size
    sneaky.write_text("train_dataloader = dict(batch_size=7, dataset=dict("
                      "noise=dict(type='symmetric', rate=0.2)))\n")
    with pytest.raises(ValueError, match='nothing else'):
        apply_noise_fragment(cfg, str(sneaky))
    animal = Config.fromfile(
        osp.join(ROOT, 'configs', 'sln',
                 'ce_wrn28-2_1xb128-300e_animal10n.py'))
    with pytest.raises(ValueError, match="not a NoisyLabelDataset"):
        apply_noise_fragment(animal, 'sym40')
    assert osp.isdir(NOISE_DIR)


def test_denoising_configs_take_an_image_noise_style():
    """One option sets the noise of training and evaluation alike."""
    from lnl_mm.utils.noise_fragment import apply_noise, image_noise_transforms
    cfg = Config.fromfile(
        osp.join(ROOT, 'configs', 'denoising',
                 'n2n_dncnn7_1xb64-6e_skimage-gauss25.py'))
    assert apply_noise(cfg, 'bernoulli0.3') == dict(
        style='bernoulli0.3', transforms=3)
    transforms = image_noise_transforms(cfg)
    assert [t.style for t in transforms] == ['bernoulli0.3'] * 3
    assert transforms[0].num_copies == 2 and transforms[1].seed == 0
    with pytest.raises(ValueError, match='takes an image noise style'):
        apply_noise(cfg, 'sym40')


def test_image_noise_is_found_through_dataset_wrappers():
    cfg = Config.fromfile(
        osp.join(ROOT, 'configs', 'denoising',
                 'n2c_dncnn7_1xb64-6e_skimage-gauss25.py'))
    inner = cfg.train_dataloader.dataset
    cfg.train_dataloader.dataset = dict(
        type='RepeatDataset', times=2, dataset=inner)
    from lnl_mm.utils.noise_fragment import apply_noise
    assert apply_noise(cfg, 'poisson30')['transforms'] == 3
    assert cfg.train_dataloader.dataset.dataset.pipeline[1].style == \
        'poisson30'


def test_the_alfs_apl_cifar10_fragment_gives_the_official_rates():
    """0.184 overall and cat about 24 % (ALFs / APL, fidelity A3); the
    exact fragment flips 40 % of each source class (0.200)."""
    labels = np.repeat(np.arange(10), 5000)
    for name, overall in (('asym40_cifar10_reselect', 0.184),
                          ('asym40_cifar10', 0.2)):
        noise = apply_noise_fragment(Config.fromfile(LEAF), name)
        noisy = make_noisy_labels(labels, 10, noise, seed=0)
        assert abs((noisy != labels).mean() - overall) < 0.003, name
    cat = (noisy != labels)[labels == 3].mean()
    assert cat == pytest.approx(0.4)  # the exact one
