# Copyright (c) lnl_mm contributors. All rights reserved.
"""Silence what is not the user's business, precisely.

Each entry names the message and the module that emits it, and why it is
noise for an lnl_mm user; nothing else is filtered. Pure standard library,
so that :mod:`lnl_mm` installs the warning filters before it imports
mmpretrain (whose import triggers the first one).
"""
import logging
import os
import warnings
from typing import Optional

#: (message regex, category, module regex, why) of Python warnings.
WARNINGS = (
    (r'Fail to import ``MultiScaleDeformableAttention``', UserWarning,
     r'mmcv\.cnn\.bricks\.transformer',
     'mmcv-lite has no compiled ops by design; no lnl_mm model uses them'), )
#: Message prefixes of MMEngine log records that say nothing about the run.
MMENGINE_RECORDS = (
    # MMEngine's own CheckpointHook builds a FileClient on every run
    '"FileClient" will be deprecated in future',
    '"HardDiskBackend" is the alias of "LocalBackend"',
)
#: (logger name, message prefix) of Ray records: a local instance that
#: enables token authentication by default says so on every start.
RAY_RECORDS = (('ray._private.authentication.authentication_token_setup',
                'Token authentication is enabled for this Ray cluster'), )


def silence_third_party_warnings() -> None:
    """Install the filters of :data:`WARNINGS` (idempotent)."""
    for message, category, module, _ in WARNINGS:
        warnings.filterwarnings(
            'ignore', message=message, category=category, module=module)


class PrefixFilter(logging.Filter):
    """Drops log records whose message starts with one of ``prefixes``."""

    def __init__(self, prefixes):
        super().__init__()
        self.prefixes = tuple(prefixes)

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(self.prefixes)


def quiet_logger(logger: logging.Logger) -> None:
    """Attach the :data:`MMENGINE_RECORDS` filter to ``logger`` (a
    runner's logger; idempotent)."""
    if not any(isinstance(f, PrefixFilter) for f in logger.filters):
        logger.addFilter(PrefixFilter(MMENGINE_RECORDS))


def quiet_ray() -> None:
    """Attach the :data:`RAY_RECORDS` filters (before ``ray.init``)."""
    for name, prefix in RAY_RECORDS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, PrefixFilter) for f in logger.filters):
            logger.addFilter(PrefixFilter((prefix, )))


def start_ray(address: Optional[str] = None) -> None:
    """``ray.init`` for the tools that run trainings as Ray work, quietly.

    Args:
        address (str, optional): An existing cluster (``auto`` or its
            address). None starts a local instance, without the dashboard
            and with its workers at the driver's priority: Ray's default
            niceness of 15 leaves them almost no CPU on a machine where
            anything else runs (a 2-trial digits sweep beside two trainings:
            651 s at 15, 40 s at 0), and the trainings are the job here.
    """
    import ray
    quiet_ray()
    if address:
        ray.init(address=address)
    else:
        os.environ.setdefault('RAY_worker_niceness', '0')
        ray.init(include_dashboard=False, log_to_driver=False)
