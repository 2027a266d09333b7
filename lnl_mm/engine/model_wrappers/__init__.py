# Copyright (c) lnl_mm contributors. All rights reserved.
from .cpu_ddp import AnyDeviceDistributedDataParallel
from .meta_ddp import MetaDistributedDataParallel

__all__ = ['AnyDeviceDistributedDataParallel', 'MetaDistributedDataParallel']
