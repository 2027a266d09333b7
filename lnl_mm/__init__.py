# Copyright (c) lnl_mm contributors. All rights reserved.
"""lnl_mm: learning with noisy labels for OpenMMLab.

Importing the package registers every component into mmpretrain's
registries and allowlists the types our checkpoints contain for
``torch.load(weights_only=True)``. Third-party warnings that are not the
user's business are filtered first (:mod:`lnl_mm.quiet`).
"""
from .quiet import silence_third_party_warnings

silence_third_party_warnings()

from .utils import register_safe_globals  # noqa: E402
from .version import __version__  # noqa: E402

register_safe_globals()

from . import datasets, engine, evaluation, models  # noqa: E402,F401

__all__ = ['__version__', 'datasets', 'engine', 'evaluation', 'models']
