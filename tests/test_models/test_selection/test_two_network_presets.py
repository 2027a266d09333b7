# Copyright (c) lnl_mm contributors. All rights reserved.
"""The CIFAR leaf configs of the two-network methods carry the official
hyper-parameters of their setting."""
import glob
import os.path as osp
import re

import pytest
from mmengine.config import Config

from lnl_mm.models.selection.presets import OFFICIAL_SETTINGS, official_setting

ROOT = osp.dirname(
    osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))
LEAF = re.compile(r'(?P<stem>[a-z-]+)_[a-z0-9]+_1xb\d+-(?P<epochs>\d+)e_'
                  r'(?P<dataset>cifar100|cifar10)-(?P<noise>[a-z0-9]+)\.py$')


def _leaves():
    out = []
    for path in sorted(
            glob.glob(osp.join(ROOT, 'configs', '*', '*cifar*.py'))):
        m = LEAF.search(osp.basename(path))
        method = osp.basename(osp.dirname(path))
        if m and method in ('coteaching', 'coteaching_plus', 'jocor',
                            'dividemix'):
            out.append((path, method, m))
    return out


def _decay_start(cfg):
    (linear, ) = [s for s in cfg.param_scheduler if s.type == 'LinearLR']
    (beta, ) = [
        s for s in cfg.param_scheduler if s.type == 'MultiStepMomentum'
    ]
    assert beta.milestones == [linear.begin]
    return linear.begin + 1  # 0-based begin -> the official 1-based epoch


@pytest.mark.parametrize(
    'path, method, match',
    _leaves(),
    ids=[osp.basename(p) for p, _, _ in _leaves()])
def test_leaf_uses_the_official_setting(path, method, match):
    setting = official_setting(method, match['dataset'], match['noise'])
    cfg = Config.fromfile(path)
    for key, value in setting['model'].items():
        assert cfg.model[key] == value, key
    for key, value in setting.get('loop', {}).items():
        assert cfg.train_cfg[key] == value, key
    assert cfg.train_cfg.max_epochs == setting['epochs'] == int(
        match['epochs'])
    if 'decay_start' in setting:
        assert _decay_start(cfg) == setting['decay_start']


def test_every_setting_has_a_leaf():
    covered = {(method, m['dataset'], m['noise'])
               for _, method, m in _leaves()}
    assert covered == set(OFFICIAL_SETTINGS)


def test_unknown_setting():
    with pytest.raises(KeyError, match='known: coteaching/cifar10/'):
        official_setting('dividemix', 'cifar100', 'asym40')
