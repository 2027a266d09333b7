# Copyright (c) lnl_mm contributors. All rights reserved.
from .denoise_formatting import PackDenoiseInputs
from .dihedral import RandomDihedral, dihedral
from .formatting import NOISE_META_KEYS, PackNoisyInputs
from .image_noise import (STYLES, AddImageNoise, add_image_noise,
                          parse_noise_style)
from .weak_view import StoreWeakView

__all__ = [
    'PackNoisyInputs', 'NOISE_META_KEYS', 'PackDenoiseInputs',
    'RandomDihedral', 'dihedral', 'STYLES', 'AddImageNoise', 'add_image_noise',
    'parse_noise_style', 'StoreWeakView'
]
