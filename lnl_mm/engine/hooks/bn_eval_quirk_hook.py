# Copyright (c) lnl_mm contributors. All rights reserved.
"""The reweighting seed's BatchNorm bug, reproducible by name."""
from mmengine.hooks import Hook
from mmpretrain.registry import HOOKS


@HOOKS.register_module()
class BNEvalQuirkHook(Hook):
    """Put the model in eval mode after the first iteration of every epoch.

    Every script of the reweighting seed (Cute77/learning-to-reweight-
    examples, ``train_distributed.py`` and its siblings, the baseline too)
    evaluates at iteration 0 of each epoch with ``net.eval()`` and never
    calls ``net.train()`` again before the next epoch: from the second
    iteration on, BatchNorm normalises with its running statistics and
    stops updating them. This is a bug; lnl_mm trains in train mode. Add
    this hook to reproduce the seed's numbers:
    ``custom_hooks = _base_.custom_hooks + [dict(type='BNEvalQuirkHook')]``.
    The loop puts the model back in train mode at the start of each epoch,
    as the seed's ``net.train()`` does.
    """

    priority = 'LOWEST'

    def after_train_iter(self,
                         runner,
                         batch_idx: int,
                         data_batch=None,
                         outputs=None) -> None:
        if batch_idx == 0:
            runner.model.eval()
