# Copyright (c) lnl_mm contributors. All rights reserved.
"""The official hyper-parameters of the two-network methods, per setting.

One table, with its source for every entry; the CIFAR / CIFAR-N leaf
configs under ``configs/{coteaching,coteaching_plus,jocor,dividemix}/`` are
tested against it (``test_two_network_presets.py`` in
``tests/test_models/test_selection/``).
``model`` holds arguments of the classifier, ``loop`` of the train loop;
``epochs`` is the official number of epochs run and ``decay_start`` the
official epoch (1-based) from which Adam's lr decays and beta1 drops.
"""
from typing import Dict, Tuple

CT = 'bhanML/Co-teaching main.py'
CTP = 'xingruiyu/coteaching_plus main.py'
JOCOR = 'hongxin001/JoCoR main.py and README'
DM = 'LiJunnan1992/DivideMix Train_cifar.py; the paper, Table 7'

#: (method, dataset, noise) -> setting.
OFFICIAL_SETTINGS: Dict[Tuple[str, str, str], dict] = {
    # Co-teaching: forget rate = the noise rate (pair-flip: its rate)
    ('coteaching', 'cifar10', 'sym50'):
    dict(model=dict(forget_rate=0.5), epochs=199, decay_start=80, source=CT),
    ('coteaching', 'cifar10', 'pairflip45'):
    dict(model=dict(forget_rate=0.45), epochs=199, decay_start=80, source=CT),
    ('coteaching', 'cifar100', 'sym50'):
    dict(model=dict(forget_rate=0.5), epochs=199, decay_start=100, source=CT),
    # Co-teaching+: init_epoch 20 (CIFAR-10), 5 (CIFAR-100); decay from 80
    # for every dataset
    ('coteaching_plus', 'cifar10', 'sym50'):
    dict(
        model=dict(forget_rate=0.5, init_epoch=20),
        epochs=199,
        decay_start=80,
        source=CTP),
    ('coteaching_plus', 'cifar100', 'sym50'):
    dict(
        model=dict(forget_rate=0.5, init_epoch=5),
        epochs=199,
        decay_start=80,
        source=CTP),
    # JoCoR: lambda from the README; forget rate eta, eta / 2 asymmetric
    ('jocor', 'cifar10', 'sym50'):
    dict(
        model=dict(forget_rate=0.5, co_lambda=0.9),
        epochs=199,
        decay_start=80,
        source=JOCOR),
    ('jocor', 'cifar10', 'sym80'):
    dict(
        model=dict(forget_rate=0.8, co_lambda=0.65),
        epochs=199,
        decay_start=80,
        source=JOCOR),
    ('jocor', 'cifar10', 'asym40'):
    dict(
        model=dict(forget_rate=0.2, co_lambda=0.9),
        epochs=199,
        decay_start=80,
        source=JOCOR),
    ('jocor', 'cifar100', 'sym50'):
    dict(
        model=dict(forget_rate=0.5, co_lambda=0.85),
        epochs=199,
        decay_start=100,
        source=JOCOR),
    # DivideMix: lambda_u and p_threshold of Table 7; warm-up 10 / 30;
    # the mean of the last 5 losses at r = 0.9
    ('dividemix', 'cifar10', 'sym20'):
    dict(
        model=dict(lambda_u=0.0),
        loop=dict(p_threshold=0.5, warmup_epochs=10),
        epochs=301,
        source=DM + ' (issue #50)'),
    ('dividemix', 'cifar10', 'sym50'):
    dict(
        model=dict(lambda_u=25.0),
        loop=dict(p_threshold=0.5, warmup_epochs=10),
        epochs=301,
        source=DM),
    ('dividemix', 'cifar10', 'sym80'):
    dict(
        model=dict(lambda_u=25.0),
        loop=dict(p_threshold=0.5, warmup_epochs=10),
        epochs=301,
        source=DM),
    ('dividemix', 'cifar10', 'sym90'):
    dict(
        model=dict(lambda_u=50.0, loss_history=5),
        loop=dict(p_threshold=0.6, warmup_epochs=10),
        epochs=301,
        source=DM + ' (issue #46)'),
    ('dividemix', 'cifar10', 'asym40'):
    dict(
        model=dict(lambda_u=0.0, warmup_penalty=True),
        loop=dict(p_threshold=0.5, warmup_epochs=10),
        epochs=301,
        source=DM + ' (issues #15, #26)'),
    ('dividemix', 'cifar100', 'sym20'):
    dict(
        model=dict(lambda_u=25.0),
        loop=dict(p_threshold=0.5, warmup_epochs=30),
        epochs=301,
        source=DM),
    ('dividemix', 'cifar100', 'sym50'):
    dict(
        model=dict(lambda_u=150.0),
        loop=dict(p_threshold=0.5, warmup_epochs=30),
        epochs=301,
        source=DM),
    ('dividemix', 'cifar100', 'sym80'):
    dict(
        model=dict(lambda_u=150.0),
        loop=dict(p_threshold=0.5, warmup_epochs=30),
        epochs=301,
        source=DM + ' (issue #10)'),
    ('dividemix', 'cifar100', 'sym90'):
    dict(
        model=dict(lambda_u=150.0, loss_history=5),
        loop=dict(p_threshold=0.6, warmup_epochs=30),
        epochs=301,
        source=DM + ' (issue #10)'),
}


def official_setting(method: str, dataset: str, noise: str) -> dict:
    """The official hyper-parameters of ``method`` on ``dataset`` with
    ``noise`` (a copy), or a ``KeyError`` that lists the known settings."""
    key = (method, dataset, noise)
    if key not in OFFICIAL_SETTINGS:
        known = ', '.join('/'.join(k) for k in sorted(OFFICIAL_SETTINGS))
        raise KeyError(f'no official setting for {"/".join(key)}; known: '
                       f'{known}')
    return {
        k: (dict(v) if isinstance(v, dict) else v)
        for k, v in OFFICIAL_SETTINGS[key].items()
    }
