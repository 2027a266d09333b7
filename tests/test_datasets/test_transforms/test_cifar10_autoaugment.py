# Copyright (c) lnl_mm contributors. All rights reserved.
"""The CIFAR-10 AutoAugment policy against the official list."""
import random

import numpy as np
import pytest
from mmpretrain.registry import TRANSFORMS

from lnl_mm.datasets.transforms import CIFAR10AutoAugment, cifar10_policies

H, V = 'horizontal', 'vertical'
T = 150 / 331
# jiangwenj02/dynamic_loss configs/_base_/datasets/pipelines/
# auto_aug_cifar.py, policy_cifar10, transcribed entry by entry.
OFFICIAL = [
    [
        dict(type='Invert', prob=0.1),
        dict(type='Contrast', magnitude=0.6, prob=0.2)
    ],
    [
        dict(type='Rotate', angle=30 / 9 * 2, prob=0.7),
        dict(type='Translate', magnitude=T, prob=0.3, direction=H)
    ],
    [
        dict(type='Sharpness', magnitude=0.1, prob=0.8),
        dict(type='Sharpness', magnitude=0.3, prob=0.9)
    ],
    [
        dict(type='Shear', magnitude=0.3 / 9 * 8, prob=0.5, direction=V),
        dict(type='Translate', magnitude=T, prob=0.7, direction=V)
    ],
    [dict(type='AutoContrast', prob=0.5),
     dict(type='Equalize', prob=0.9)],
    [
        dict(type='Shear', magnitude=0.3 / 9 * 7, prob=0.2, direction=V),
        dict(type='Posterize', bits=5, prob=0.3)
    ],
    [
        dict(type='ColorTransform', magnitude=0.3, prob=0.4),
        dict(type='Brightness', magnitude=0.7, prob=0.6)
    ],
    [
        dict(type='Sharpness', magnitude=0.9, prob=0.3),
        dict(type='Brightness', magnitude=0.9, prob=0.7)
    ],
    [dict(type='Equalize', prob=0.6),
     dict(type='Equalize', prob=0.5)],
    [
        dict(type='Contrast', magnitude=0.7, prob=0.6),
        dict(type='Sharpness', magnitude=0.5, prob=0.6)
    ],
    [
        dict(type='ColorTransform', magnitude=0.7, prob=0.7),
        dict(type='Translate', magnitude=T / 9 * 8, prob=0.5, direction=H)
    ],
    [dict(type='Equalize', prob=0.3),
     dict(type='AutoContrast', prob=0.4)],
    [
        dict(type='Translate', magnitude=T / 3, prob=0.4, direction=V),
        dict(type='Sharpness', magnitude=0.6, prob=0.2)
    ],
    [
        dict(type='Brightness', magnitude=0.6, prob=0.9),
        dict(type='ColorTransform', magnitude=0.8, prob=0.2)
    ],
    [
        dict(type='Solarize', thr=256 / 9 * 7, prob=0.5),
        dict(type='Invert', prob=0.0)
    ],
    [dict(type='Equalize', prob=0.2),
     dict(type='AutoContrast', prob=0.6)],
    [dict(type='Equalize', prob=0.2),
     dict(type='Equalize', prob=0.6)],
    [
        dict(type='ColorTransform', magnitude=0.9, prob=0.9),
        dict(type='Equalize', prob=0.6)
    ],
    [
        dict(type='AutoContrast', prob=0.8),
        dict(type='Solarize', thr=256 / 9, prob=0.2)
    ],
    [
        dict(type='Brightness', magnitude=0.3, prob=0.1),
        dict(type='ColorTransform', magnitude=0., prob=0.7)
    ],
    [
        dict(type='Solarize', thr=256 / 9 * 4, prob=0.4),
        dict(type='AutoContrast', prob=0.9)
    ],
    [
        dict(type='Translate', magnitude=T, prob=0.9, direction=V),
        dict(type='Translate', magnitude=T, prob=0.7, direction=V)
    ],
    [
        dict(type='AutoContrast', prob=0.9),
        dict(type='Solarize', thr=256 / 9 * 6, prob=0.8)
    ],
    [dict(type='Equalize', prob=0.8),
     dict(type='Invert', prob=0.1)],
    [
        dict(type='Translate', magnitude=T, prob=0.7, direction=V),
        dict(type='AutoContrast', prob=0.9)
    ],
]


def _close(a, b):
    assert a.keys() == b.keys(), (a, b)
    for k in a:
        if isinstance(a[k], float):
            assert a[k] == pytest.approx(b[k], rel=1e-12), (k, a, b)
        else:
            assert a[k] == b[k], (k, a, b)


def test_policy_is_the_official_list():
    ours = cifar10_policies()
    assert len(ours) == len(OFFICIAL) == 25
    for mine, theirs in zip(ours, OFFICIAL):
        assert len(mine) == len(theirs) == 2
        for a, b in zip(mine, theirs):
            _close(a, b)
    # a fresh copy every call: editing one does not change the next
    ours[0][0]['prob'] = 1.0
    assert cifar10_policies()[0][0]['prob'] == 0.1


def test_transform_builds_every_operation_and_keeps_the_image_shape():
    aug = TRANSFORMS.build(dict(type='CIFAR10AutoAugment'))
    assert isinstance(aug, CIFAR10AutoAugment)
    assert len(aug.policies) == 25
    for sub in aug.policies:  # every operation is a valid mmpretrain one
        for op in sub:
            TRANSFORMS.build(
                dict(op, pad_val=128) if op['type'] in ('Rotate', 'Translate',
                                                        'Shear') else op)
    random.seed(0)  # mmpretrain's transforms draw from the global RNGs
    np.random.seed(0)
    rng = np.random.default_rng(0)
    img = rng.integers(0, 256, (32, 32, 3), dtype=np.uint8)
    changed = 0
    for _ in range(200):
        out = aug(dict(img=img.copy()))['img']
        assert out.shape == img.shape and out.dtype == np.uint8
        changed += int(not np.array_equal(out, img))
    assert changed > 100  # most draws change the image
