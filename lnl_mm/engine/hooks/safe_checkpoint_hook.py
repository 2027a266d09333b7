# Copyright (c) lnl_mm contributors. All rights reserved.
"""Keep checkpoints loadable with ``torch.load(weights_only=True)``."""
from mmengine.hooks import Hook
from mmpretrain.registry import HOOKS

from ...utils import make_message_hub_state_safe


@HOOKS.register_module()
class SafeCheckpointHook(Hook):
    """Store the message hub's buffers in a form the safe unpickler accepts.

    MMEngine 0.10.7 checkpoints reference functions through ``getattr``,
    which ``torch.load(weights_only=True)`` (the default since torch 2.6)
    rejects, so ``--resume`` fails with stock MMEngine. This hook replaces
    every ``HistoryBuffer`` by a data-only
    :class:`~lnl_mm.utils.SafeHistoryBuffer` just before the checkpoint is
    written; ``import lnl_mm`` allowlists exactly the types that remain.
    ``tools/train.py`` adds the hook when a config lacks it.
    """

    priority = 'VERY_LOW'

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        """Make the checkpoint safe to load.

        Args:
            runner (Runner): The runner of the training process.
            checkpoint (dict): The checkpoint being saved.
        """
        make_message_hub_state_safe(checkpoint)
