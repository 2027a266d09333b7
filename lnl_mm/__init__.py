# Copyright (c) lnl_mm contributors. All rights reserved.
"""lnl_mm: learning with noisy labels for OpenMMLab.

Importing the package registers every component into mmpretrain's
registries and allowlists the types our checkpoints contain for
``torch.load(weights_only=True)``.
"""
from .utils import register_safe_globals
from .version import __version__

register_safe_globals()

from . import datasets, engine, evaluation, models  # noqa: E402,F401

__all__ = ['__version__', 'datasets', 'engine', 'evaluation', 'models']
