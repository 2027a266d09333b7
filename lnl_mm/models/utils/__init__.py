# Copyright (c) lnl_mm contributors. All rights reserved.
from .label_correction import (LC_MODES, minmax_normalize,
                               sln_label_correction)
from .label_store import LabelStore
from .momentum_model import MomentumModel

__all__ = [
    'LC_MODES', 'minmax_normalize', 'sln_label_correction', 'LabelStore',
    'MomentumModel'
]
