# Copyright (c) lnl_mm contributors. All rights reserved.
"""The stage of the current training iteration, for hooks."""
from typing import Optional


def loop_stage(runner) -> Optional[str]:
    """The ``stage`` of the runner's training loop
    (:class:`~lnl_mm.engine.MetaEpochBasedTrainLoop`: ``'meta'``;
    :class:`~lnl_mm.engine.DynamicLossTrainLoop`: ``'warmup'``, ``'meta'``
    or ``'finetune'``): the stage of the current (or, in
    ``after_train_epoch``, the last) iteration of the epoch; ``None`` between
    epochs (validation) and for any other loop."""
    return getattr(getattr(runner, '_train_loop', None), 'stage', None)
