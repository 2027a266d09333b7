# Copyright (c) lnl_mm contributors. All rights reserved.
from .meta_train_loop import MetaEpochBasedTrainLoop

__all__ = ['MetaEpochBasedTrainLoop']
