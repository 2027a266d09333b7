# Copyright (c) lnl_mm contributors. All rights reserved.
from .exclude_sampler import ExcludeSampler

__all__ = ['ExcludeSampler']
