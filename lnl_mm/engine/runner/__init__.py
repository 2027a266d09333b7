# Copyright (c) lnl_mm contributors. All rights reserved.
from .dynamic_loss_loop import DynamicLossTrainLoop, hierarchical_meta_set
from .meta_train_loop import MetaEpochBasedTrainLoop

__all__ = [
    'DynamicLossTrainLoop', 'MetaEpochBasedTrainLoop', 'hierarchical_meta_set'
]
