# Copyright (c) lnl_mm contributors. All rights reserved.
"""Tell a resume from ``load_from`` through public runner state only."""
from typing import Any, Optional


def resumed_state(runner, stashed: Optional[Any]) -> Optional[Any]:
    """What a hook stashed in ``after_load_checkpoint``, if the run resumed.

    MMEngine calls ``after_load_checkpoint`` for ``--resume`` and for
    ``load_from`` alike, and sets the loop's iteration from the checkpoint
    only afterwards. So a hook stashes the checkpoint's entry there and
    decides in ``before_train``, where ``runner.iter > 0`` exactly when
    training continues a saved run (``load_from`` starts at 0).

    Args:
        runner (Runner): The runner, in or after ``before_train``.
        stashed: The entry stashed from the checkpoint, or None.

    Returns:
        ``stashed`` on a resume, else None.
    """
    return stashed if runner.iter > 0 else None
