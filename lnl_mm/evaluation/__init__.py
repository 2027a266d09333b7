# Copyright (c) lnl_mm contributors. All rights reserved.
from .dynamics import (epoch_dynamics, per_sample_ce, plot_loss_distribution,
                       plot_memorization)
from .summary import summarize_history

__all__ = [
    'epoch_dynamics', 'per_sample_ce', 'plot_memorization',
    'plot_loss_distribution', 'summarize_history'
]
