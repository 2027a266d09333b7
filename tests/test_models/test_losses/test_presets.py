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
    assert prov == 'alfs_code/mnist/sym (hitcszx/ALFs lnl/config.py)'
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


# The paper protocol transcribed from cswjl/eps-softmax config.py (the
# released file); (dataset, loss) -> the constructor arguments written there.
EPS_SOFTMAX_CONFIG = {
    ('cifar10', 'MAE'): dict(scale=2.0),
    ('cifar10', 'RCE'): dict(scale=1.0),
    ('cifar10', 'NFL'): dict(gamma=0.5),
    ('cifar10', 'NCE'): dict(scale=1.0),
    ('cifar10', 'AEL'): dict(a=2.5),
    ('cifar10', 'AUL'): dict(a=5.5, q=3.0),
    ('cifar10', 'AGCE'): dict(a=0.6, q=0.6),
    ('cifar100', 'MAE'): dict(scale=2.0),
    ('cifar100', 'RCE'): dict(scale=1.0),
    ('cifar100', 'NFL'): dict(gamma=0.5),
    ('cifar100', 'NCE'): dict(scale=1.0),
    ('cifar100', 'AEL'): dict(a=2.5),
    ('cifar100', 'AUL'): dict(a=5.5, q=3.0),
    ('cifar100', 'AGCE'): dict(a=0.6, q=0.6),
    ('cifar10', 'FL'): dict(gamma=0.5),
    ('cifar10', 'GCE'): dict(q=0.7),
    ('cifar10', 'SCE'): dict(alpha=0.1, beta=1.0),
    ('cifar10', 'NFL+RCE'): dict(alpha=1.0, beta=1.0),
    ('cifar10', 'NCE+MAE'): dict(alpha=1.0, beta=1.0),
    ('cifar10', 'NCE+RCE'): dict(alpha=1.0, beta=1.0),
    ('cifar10', 'NCE+AGCE'): dict(alpha=1.0, beta=4.0, a=6.0, q=1.5),
    ('cifar10', 'NCE+AUL'): dict(alpha=1.0, beta=4.0, a=6.3, q=1.5),
    ('cifar10', 'NCE+AEL'): dict(alpha=1.0, beta=4.0, a=5.0),
    ('cifar100', 'FL'): dict(gamma=0.5),
    ('cifar100', 'GCE'): dict(q=0.7),
    ('cifar100', 'SCE'): dict(alpha=6.0, beta=0.1),
    ('cifar100', 'NFL+RCE'): dict(alpha=10.0, beta=0.1),
    ('cifar100', 'NCE+MAE'): dict(alpha=10.0, beta=0.1),
    ('cifar100', 'NCE+RCE'): dict(alpha=10.0, beta=0.1),
    ('cifar100', 'NCE+AGCE'): dict(alpha=10.0, beta=0.1, a=1.8, q=3.0),
    ('cifar100', 'NCE+AUL'): dict(alpha=10.0, beta=0.015, a=6.0, q=3.0),
    ('cifar100', 'NCE+AEL'): dict(alpha=10.0, beta=0.1, a=1.5),
    ('webvision', 'FL'): dict(gamma=0.5),
    ('webvision', 'GCE'): dict(q=0.7),
    ('webvision', 'SCE'): dict(alpha=10.0, beta=1.0),
    ('webvision', 'AGCE'): dict(a=1e-5, q=0.5),
    ('webvision', 'NCE+RCE'): dict(alpha=50.0, beta=0.1),
    ('webvision', 'NCE+AGCE'): dict(alpha=50.0, beta=0.1, a=2.5, q=3.0),
    ('clothing1m', 'FL'): dict(gamma=0.5),
    ('clothing1m', 'GCE'): dict(q=0.6),
    ('clothing1m', 'SCE'): dict(alpha=10.0, beta=1.0),
    ('clothing1m', 'AGCE'): dict(a=1e-5, q=0.5),
    ('clothing1m', 'NCE+RCE'): dict(alpha=10.0, beta=1.0),
    ('clothing1m', 'NCE+AGCE'): dict(alpha=50.0, beta=0.1, a=2.5, q=3.0),
}


@pytest.mark.parametrize('key', sorted(EPS_SOFTMAX_CONFIG))
def test_paper_protocol_is_the_released_file(key):
    dataset, loss = key
    cfg, prov = loss_preset(loss, dataset, 'paper')
    assert cfg == dict(type=LOSS_TYPES[loss], **EPS_SOFTMAX_CONFIG[key])
    assert prov == f'paper/{dataset}/sym (cswjl/eps-softmax config.py)'


def test_paper_protocol_has_only_cited_values():
    # Every (dataset, loss) the paper table answers itself is in the file;
    # nothing else comes from 'paper' without saying where it comes from.
    for loss in LOSS_TYPES:
        for dataset in ('cifar10', 'cifar100', 'webvision', 'clothing1m'):
            try:
                cfg, prov = loss_preset(loss, dataset, 'paper')
            except KeyError:
                continue
            if prov.startswith('paper/') and loss != 'CE':
                assert (dataset, loss) in EPS_SOFTMAX_CONFIG, (dataset, loss)


def test_paper_protocol_and_fallback():
    # RCE's A is the released code's ln 1e-4 (no log_zero override).
    cfg, prov = loss_preset('SCE', 'cifar100', 'paper')
    assert 'log_zero' not in cfg
    sce = MODELS.build(
        dict(type='LossPreset', loss='SCE', dataset='cifar10', source='paper'))
    assert sce.log_zero == pytest.approx(math.log(1e-4))
    cfg, prov = loss_preset('NGCE', 'cifar10', 'paper')
    assert cfg['q'] == 0.7 and 'paper protocol lists no value' in prov
    assert 'hitcszx/ALFs lnl/config.py' in prov
    cfg, prov = loss_preset('GCE', 'cifar100', 'paper', noise_rate=0.8)
    assert cfg['q'] == 0.9 and prov.endswith(
        '(q from eps-softmax Appendix D.1)')
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
    assert loss.preset_provenance == ('alfs_code/cifar100/sym '
                                      '(hitcszx/ALFs lnl/config.py)')


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


def test_loss_preset_logs_what_it_built(monkeypatch):
    """The log names the class and every hyper-parameter, after overrides,
    and says when a pair's weight of 0 leaves one loss alone (ALFs' MNIST
    NCE+AGCE is AGCE)."""
    lines = []
    monkeypatch.setattr(
        'lnl_mm.models.losses.presets.print_log',
        lambda msg, logger=None: lines.append(msg))
    MODELS.build(dict(type='LossPreset', loss='NCE+AGCE', dataset='mnist'))
    assert lines[-1] == (
        "LossPreset 'NCE+AGCE' builds NCEandAGCELoss(alpha=0.0, beta=1.0, "
        'a=4.0, q=0.2) from alfs_code/mnist/sym (hitcszx/ALFs lnl/config.py)'
        '; alpha = 0: the NCE term is off, this is AGCE alone')
    MODELS.build(
        dict(
            type='LossPreset',
            loss='NCE+RCE',
            dataset='cifar10',
            beta=0.0,
            loss_weight=2.0))
    assert 'beta=0.0' in lines[-1] and 'loss_weight=2.0' in lines[-1]
    assert lines[-1].endswith('this is NCE alone')
    MODELS.build(dict(type='LossPreset', loss='GCE', dataset='cifar10'))
    assert lines[-1].startswith("LossPreset 'GCE' builds GCELoss(q=0.7)")
    assert 'alone' not in lines[-1]
