# Copyright (c) lnl_mm contributors. All rights reserved.
from .formatting import NOISE_META_KEYS, PackNoisyInputs

__all__ = ['PackNoisyInputs', 'NOISE_META_KEYS']
