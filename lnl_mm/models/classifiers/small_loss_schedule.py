# Copyright (c) lnl_mm contributors. All rights reserved.
"""The forget-rate schedule shared by the small-loss selection methods."""
from ..selection import check_forget_rate, forget_rate_at


class SmallLossSchedule:
    r"""Holds :math:`\tau`, :math:`T_k`, :math:`c` and the schedule of the
    small-loss methods (Co-teaching, Co-teaching+, JoCoR) and gives the
    forget rate of the current epoch
    (:func:`~lnl_mm.models.selection.forget_rate_at`).

    A mixin for :class:`~lnl_mm.models.classifiers.TwoNetworkClassifier`
    subclasses, which provide ``epoch``.
    """

    epoch: int

    def init_schedule(self, forget_rate: float, num_gradual: int,
                      exponent: float, schedule: str) -> None:
        """Check and keep the schedule's arguments; a bad one fails here,
        at build time, with its name."""
        self.forget_rate = check_forget_rate(forget_rate)
        self.num_gradual = num_gradual
        self.exponent = exponent
        self.schedule = schedule
        self.current_forget_rate()  # validates the other arguments

    def current_forget_rate(self) -> float:
        """The forget rate of the current epoch."""
        return forget_rate_at(self.epoch, self.forget_rate, self.num_gradual,
                              self.exponent, self.schedule)
