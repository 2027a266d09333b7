# Copyright (c) lnl_mm contributors. All rights reserved.
from .cifar10_autoaugment import CIFAR10AutoAugment, cifar10_policies
from .denoise_formatting import PackDenoiseInputs
from .dihedral import RandomDihedral, dihedral
from .extra_view import ExtraAugmentedView
from .formatting import NOISE_META_KEYS, PackNoisyInputs
from .image_noise import (STYLES, AddImageNoise, add_image_noise,
                          parse_noise_style)
from .weak_view import StoreWeakView

__all__ = [
    'CIFAR10AutoAugment', 'cifar10_policies', 'ExtraAugmentedView',
    'PackNoisyInputs', 'NOISE_META_KEYS', 'PackDenoiseInputs',
    'RandomDihedral', 'dihedral', 'STYLES', 'AddImageNoise', 'add_image_noise',
    'parse_noise_style', 'StoreWeakView'
]
