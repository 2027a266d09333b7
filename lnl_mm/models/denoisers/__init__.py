# Copyright (c) lnl_mm contributors. All rights reserved.
from .masker import MASK_MODES, GridMasker, grid_mask
from .self_supervised_denoiser import MODES, SelfSupervisedDenoiser

__all__ = [
    'MASK_MODES', 'GridMasker', 'grid_mask', 'MODES', 'SelfSupervisedDenoiser'
]
