# Copyright (c) lnl_mm contributors. All rights reserved.
from .meta_optim_wrapper_constructor import MetaOptimWrapperConstructor

__all__ = ['MetaOptimWrapperConstructor']
