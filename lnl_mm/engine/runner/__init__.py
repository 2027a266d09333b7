# Copyright (c) lnl_mm contributors. All rights reserved.
from .divide_mix_loop import DivideMixTrainLoop
from .dynamic_loss_loop import DynamicLossTrainLoop, hierarchical_meta_set
from .meta_train_loop import MetaEpochBasedTrainLoop
from .two_network_train_loop import TwoNetworkTrainLoop

__all__ = [
    'DivideMixTrainLoop', 'DynamicLossTrainLoop', 'MetaEpochBasedTrainLoop',
    'TwoNetworkTrainLoop', 'hierarchical_meta_set'
]
