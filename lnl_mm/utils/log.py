# Copyright (c) lnl_mm contributors. All rights reserved.
"""Start-up messages, through MMEngine's current logger."""
import logging

from mmengine.logging import print_log


def log_warning(msg: str) -> None:
    """Log ``msg`` as a warning (before or after the runner exists)."""
    print_log(msg, 'current', logging.WARNING)


def log_info(msg: str) -> None:
    """Log ``msg`` at INFO level."""
    print_log(msg, 'current')
