# Copyright (c) lnl_mm contributors. All rights reserved.
from .keep_bias_init import KeepBiasInit
from .label_correction import LC_MODES, minmax_normalize, sln_label_correction
from .momentum_model import MomentumModel
from .sample_store import SampleStore, gather_rows, refuse_old_layout

__all__ = [
    'KeepBiasInit', 'LC_MODES', 'minmax_normalize', 'sln_label_correction',
    'MomentumModel', 'SampleStore', 'gather_rows', 'refuse_old_layout'
]
