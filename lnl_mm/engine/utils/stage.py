# Copyright (c) lnl_mm contributors. All rights reserved.
"""The stage of the current training iteration, for hooks."""
from typing import Optional


def loop_stage(runner) -> Optional[str]:
    """The ``stage`` of the runner's training loop
    (:class:`~lnl_mm.engine.MetaEpochBasedTrainLoop`: ``'meta'``;
    :class:`~lnl_mm.engine.DynamicLossTrainLoop`: ``'warmup'``, ``'meta'``
    or ``'finetune'``), ``None`` for any other loop or before the first
    iteration."""
    return getattr(getattr(runner, '_train_loop', None), 'stage', None)
