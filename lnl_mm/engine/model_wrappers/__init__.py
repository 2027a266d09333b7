# Copyright (c) lnl_mm contributors. All rights reserved.
from .cpu_ddp import AnyDeviceDistributedDataParallel

__all__ = ['AnyDeviceDistributedDataParallel']
