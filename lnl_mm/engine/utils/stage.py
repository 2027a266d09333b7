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


#: Stages that are not the epoch's single pass over the training set:
#: Dynamic Loss's fine-tune pass over the meta set, DivideMix's warm-up
#: pass of net2 and its semi-supervised passes (mixed batches), net2's
#: pass of a sequential two-network loop (ELR+). The per-visit hooks
#: (training dynamics, meta diagnostics) skip them.
EXTRA_PASS_STAGES = ('finetune', 'warmup_peer', 'ssl', 'train_peer')


def is_extra_pass(runner) -> bool:
    """Whether the current iteration belongs to an extra pass
    (:data:`EXTRA_PASS_STAGES`)."""
    return loop_stage(runner) in EXTRA_PASS_STAGES
