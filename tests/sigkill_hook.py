# Copyright (c) lnl_mm contributors. All rights reserved.
"""Test support: a hook that SIGKILLs its own training process at a given
iteration, so that a test can kill a real ``tools/train.py`` run at an
exact point inside an epoch (no checkpoint, no cleanup)."""
import os
import signal

from mmengine.hooks import Hook
from mmpretrain.registry import HOOKS


@HOOKS.register_module()
class SigkillAtIterationHook(Hook):
    """Kill the process after training iteration ``batch_idx`` (0-based)
    of epoch ``epoch`` (0-based)."""

    priority = 'LOWEST'

    def __init__(self, epoch: int, batch_idx: int):
        self.epoch, self.batch_idx = epoch, batch_idx

    def after_train_iter(self,
                         runner,
                         batch_idx,
                         data_batch=None,
                         outputs=None):
        if runner.epoch == self.epoch and batch_idx == self.batch_idx:
            os.kill(os.getpid(), signal.SIGKILL)
