# Copyright (c) lnl_mm contributors. All rights reserved.
"""Imported first by the entry points (``train.py``, ``test.py``,
``tune.py``): this checkout goes first on ``sys.path``, so that they,
``dist_train.sh`` (which sets ``PYTHONPATH``) and the trials of a sweep all
import the same ``lnl_mm`` -- this one -- whatever else is installed."""
import os.path as osp
import sys

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
if sys.path[:1] != [ROOT]:
    sys.path.insert(0, ROOT)
