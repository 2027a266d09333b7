# Copyright (c) lnl_mm contributors. All rights reserved.
from .checkpoint import (CHECKPOINT_SAFE_GLOBALS, SafeHistoryBuffer,
                         make_message_hub_state_safe, register_safe_globals,
                         resolve_checkpoint)

__all__ = [
    'CHECKPOINT_SAFE_GLOBALS', 'SafeHistoryBuffer',
    'make_message_hub_state_safe', 'register_safe_globals',
    'resolve_checkpoint'
]
