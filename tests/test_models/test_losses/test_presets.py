# Copyright (c) lnl_mm contributors. All rights reserved.
"""Loss presets: every entry builds, provenance, overrides, bad names."""
import math

import pytest
import torch
from mmpretrain.registry import MODELS

from lnl_mm.models.losses import LOSS_TYPES, loss_preset
from lnl_mm.models.losses.presets import SOURCES


def _all_entries():
    for source in SOURCES:
        datasets = (('cifar10', 'cifar100', 'webvision',
                     'clothing1m') if source == 'paper' else
                    ('mnist', 'cifar10', 'cifar100'))
        for dataset in datasets:
            for loss in LOSS_TYPES:
                for noise in ('sym', 'asym'):
                    try:
                        cfg, prov = loss_preset(loss, dataset, source, noise)
                    except KeyError:
                        continue
                    yield source, dataset, loss, noise, cfg, prov


def test_every_preset_builds():
    entries = list(_all_entries())
    assert len(entries) > 150
    for source, dataset, loss, noise, cfg, prov in entries:
        assert isinstance(MODELS.build(cfg), torch.nn.Module), cfg
        assert prov.startswith(('alfs_code', 'apl_code', 'paper')), prov


def test_alfs_code_values_and_quirks():
    cfg, prov = loss_preset('NCE+AGCE', 'mnist', 'alfs_code')
    # released MNIST NCE+X runs the asymmetric loss alone (alpha = 0)
    assert cfg == dict(
        type='NCEandAGCELoss', alpha=0.0, beta=1.0, a=4.0, q=0.2)
    assert prov == 'alfs_code/mnist/sym'
    cfg, _ = loss_preset('SCE', 'cifar10', 'alfs_code')
    assert (cfg['alpha'], cfg['beta']) == (1.0, 1.0)
    assert 'log_zero' not in cfg  # code default A = log(1e-4)
    cfg, _ = loss_preset('MAE', 'cifar10', 'alfs_code')
    assert cfg['scale'] == 2.0
    with pytest.raises(KeyError, match="sets no hyper-parameters for 'NMAE'"):
        loss_preset('NMAE', 'cifar10', 'alfs_code')


def test_apl_code_noise_dependent_values_and_wrong_class_files():
    sym, _ = loss_preset('NFL', 'cifar10', 'apl_code', 'sym')
    asym, _ = loss_preset('NFL', 'cifar10', 'apl_code', 'asym')
    assert (sym['scale'], asym['scale']) == (10.0, 1.0)
    cfg, prov = loss_preset('NGCE+RCE', 'cifar100', 'apl_code')
    assert cfg['type'] == 'NGCEandMAELoss' and 'instantiates' in prov
    cfg, prov = loss_preset('NGCE+RCE', 'cifar10', 'apl_code', 'sym')
    assert cfg['type'] == 'NGCEandRCELoss'
    with pytest.warns(UserWarning, match='instantiates NGCEandMAELoss'):
        MODELS.build(
            dict(
                type='LossPreset',
                loss='NGCE+RCE',
                dataset='cifar10',
                source='apl_code',
                noise='asym'))


def test_paper_protocol_and_fallback():
    cfg, prov = loss_preset('SCE', 'cifar100', 'paper')
    assert cfg == dict(type='SCELoss', alpha=6.0, beta=0.1, log_zero=-4.0)
    cfg, prov = loss_preset('AGCE', 'cifar10', 'paper')
    assert cfg['a'] == 0.6 and 'paper protocol lists no value' in prov
    cfg, prov = loss_preset('GCE', 'cifar100', 'paper', noise_rate=0.8)
    assert cfg['q'] == 0.9 and prov.endswith('rate 0.8')
    with pytest.raises(ValueError, match='not 0.3'):
        loss_preset('GCE', 'cifar100', 'paper', noise_rate=0.3)
    with pytest.raises(KeyError, match="no preset for dataset 'mnist'"):
        loss_preset('GCE', 'mnist', 'paper')


def test_loss_preset_builder_overrides_and_provenance():
    loss = MODELS.build(
        dict(
            type='LossPreset',
            loss='NCE+AUL',
            dataset='cifar100',
            loss_weight=2.0,
            beta=0.5))
    assert type(loss).__name__ == 'NCEandAULLoss'
    assert loss.alpha == 10.0 and loss.beta == 0.5 and loss.loss_weight == 2
    assert loss.passive.a == 6.0 and math.isclose(loss.passive.q, 3.0)
    assert loss.preset_provenance == 'alfs_code/cifar100/sym'


@pytest.mark.parametrize('kwargs,match', [
    (dict(loss='XYZ', dataset='cifar10'), "unknown loss 'XYZ'"),
    (dict(loss='GCE', dataset='cifar10',
          source='blog'), "unknown source 'blog'"),
    (dict(loss='GCE', dataset='svhn'), "no preset for dataset 'svhn'"),
    (dict(loss='GCE', dataset='cifar10', noise='pair'), 'noise must be'),
])
def test_unknown_preset_names(kwargs, match):
    with pytest.raises((KeyError, ValueError), match=match):
        MODELS.build(dict(type='LossPreset', **kwargs))
