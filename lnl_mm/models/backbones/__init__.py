# Copyright (c) lnl_mm contributors. All rights reserved.
from .small_cnn import SmallCNN

__all__ = ['SmallCNN']
