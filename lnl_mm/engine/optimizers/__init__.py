# Copyright (c) lnl_mm contributors. All rights reserved.
from .bf16_autocast_optim_wrapper import BF16AutocastOptimWrapper
from .meta_optim_wrapper_constructor import MetaOptimWrapperConstructor
from .sop_optim_wrapper_constructor import SOPOptimWrapperConstructor
from .two_network_optim_wrapper_constructor import \
    TwoNetworkOptimWrapperConstructor

__all__ = [
    'BF16AutocastOptimWrapper', 'MetaOptimWrapperConstructor',
    'TwoNetworkOptimWrapperConstructor', 'SOPOptimWrapperConstructor'
]
