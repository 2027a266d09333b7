# Copyright (c) lnl_mm contributors. All rights reserved.
"""The CIFAR-10 AutoAugment policy of the Dynamic Loss code."""
import copy
from typing import Dict, List, Optional, Tuple

from mmpretrain.datasets.transforms import AutoAugment
from mmpretrain.registry import TRANSFORMS

_ROT = 30 / 9  # degrees per magnitude step (30 at magnitude 9)
_SHEAR = 0.3 / 9
_TRANS = 150 / 331  # the largest shift, as a fraction of the side
_SOL = 256 / 9

#: The 25 sub-policies of jiangwenj02/dynamic_loss
#: ``configs/_base_/datasets/pipelines/auto_aug_cifar.py`` (the CIFAR-10
#: policy of Cubuk et al., CVPR 2019, in mmcls' parametrisation): each is
#: two ``(transform, probability, parameters)``; ``H`` / ``V`` are the
#: horizontal / vertical directions.
_SUB_POLICIES: List[Tuple[Tuple[str, float, dict], ...]] = [
    (('Invert', 0.1, {}), ('Contrast', 0.2, dict(magnitude=0.6))),
    (('Rotate', 0.7, dict(angle=_ROT * 2)),
     ('Translate', 0.3, dict(magnitude=_TRANS, direction='H'))),
    (('Sharpness', 0.8, dict(magnitude=0.1)), ('Sharpness', 0.9,
                                               dict(magnitude=0.3))),
    (('Shear', 0.5, dict(magnitude=_SHEAR * 8, direction='V')),
     ('Translate', 0.7, dict(magnitude=_TRANS, direction='V'))),
    (('AutoContrast', 0.5, {}), ('Equalize', 0.9, {})),
    (('Shear', 0.2, dict(magnitude=_SHEAR * 7,
                         direction='V')), ('Posterize', 0.3, dict(bits=5))),
    (('ColorTransform', 0.4, dict(magnitude=0.3)), ('Brightness', 0.6,
                                                    dict(magnitude=0.7))),
    (('Sharpness', 0.3, dict(magnitude=0.9)), ('Brightness', 0.7,
                                               dict(magnitude=0.9))),
    (('Equalize', 0.6, {}), ('Equalize', 0.5, {})),
    (('Contrast', 0.6, dict(magnitude=0.7)), ('Sharpness', 0.6,
                                              dict(magnitude=0.5))),
    (('ColorTransform', 0.7, dict(magnitude=0.7)),
     ('Translate', 0.5, dict(magnitude=_TRANS / 9 * 8, direction='H'))),
    (('Equalize', 0.3, {}), ('AutoContrast', 0.4, {})),
    (('Translate', 0.4, dict(magnitude=_TRANS / 3,
                             direction='V')), ('Sharpness', 0.2,
                                               dict(magnitude=0.6))),
    (('Brightness', 0.9, dict(magnitude=0.6)), ('ColorTransform', 0.2,
                                                dict(magnitude=0.8))),
    (('Solarize', 0.5, dict(thr=_SOL * 7)), ('Invert', 0.0, {})),
    (('Equalize', 0.2, {}), ('AutoContrast', 0.6, {})),
    (('Equalize', 0.2, {}), ('Equalize', 0.6, {})),
    (('ColorTransform', 0.9, dict(magnitude=0.9)), ('Equalize', 0.6, {})),
    (('AutoContrast', 0.8, {}), ('Solarize', 0.2, dict(thr=_SOL))),
    (('Brightness', 0.1, dict(magnitude=0.3)), ('ColorTransform', 0.7,
                                                dict(magnitude=0.0))),
    (('Solarize', 0.4, dict(thr=_SOL * 4)), ('AutoContrast', 0.9, {})),
    (('Translate', 0.9, dict(magnitude=_TRANS, direction='V')),
     ('Translate', 0.7, dict(magnitude=_TRANS, direction='V'))),
    (('AutoContrast', 0.9, {}), ('Solarize', 0.8, dict(thr=_SOL * 6))),
    (('Equalize', 0.8, {}), ('Invert', 0.1, {})),
    (('Translate', 0.7, dict(magnitude=_TRANS,
                             direction='V')), ('AutoContrast', 0.9, {})),
]
_DIRECTIONS = dict(H='horizontal', V='vertical')


def cifar10_policies() -> List[List[Dict]]:
    """The sub-policies as mmpretrain transform configs (a fresh copy)."""
    policies = []
    for sub in _SUB_POLICIES:
        ops = []
        for name, prob, params in sub:
            op = dict(type=name, **copy.deepcopy(params), prob=prob)
            if 'direction' in op:
                op['direction'] = _DIRECTIONS[op['direction']]
            ops.append(op)
        policies.append(ops)
    return policies


@TRANSFORMS.register_module()
class CIFAR10AutoAugment(AutoAugment):
    """AutoAugment with the CIFAR-10 policy of the Dynamic Loss code.

    `AutoAugment: Learning Augmentation Strategies from Data
    <https://arxiv.org/abs/1805.09501>`_ (CVPR 2019): one of the 25
    sub-policies of :data:`_SUB_POLICIES` is drawn per image and its two
    operations applied, each with its probability. The official Dynamic
    Loss configs use this CIFAR-10 policy (``auto_aug_cifar.py``), not
    mmpretrain's ImageNet one (``policies='imagenet'``). The operations
    are mmpretrain's, whose parameters are those of mmcls 0.x that the
    official code ran (magnitudes with a random sign for the geometric
    and colour operations, ``random_negative_prob=0.5``).

    Args:
        hparams (dict, optional): Shared parameters of every operation.
            Defaults to ``dict(pad_val=128)`` (mmcls' default).
    """

    def __init__(self, hparams: Optional[dict] = None):
        super().__init__(
            policies=cifar10_policies(),
            hparams=dict(pad_val=128) if hparams is None else hparams)
