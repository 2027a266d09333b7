# Copyright (c) lnl_mm contributors. All rights reserved.
from .exclude_sampler import ExcludeSampler
from .replicated_sampler import ReplicatedSampler

__all__ = ['ExcludeSampler', 'ReplicatedSampler']
