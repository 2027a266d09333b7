# Copyright (c) lnl_mm contributors. All rights reserved.
from .dynamics import (epoch_dynamics, per_sample_ce, plot_loss_distribution,
                       plot_memorization)
from .dynamics_plots import (plot_matrices, plot_pred_probs,
                             plot_sample_dissection, plot_sample_grid,
                             plot_transition_pair)
from .label_issues import (aligned_records, area_under_margin, auroc,
                           combine_threshold_runs, detection_metrics,
                           fix_effect, worse_than_threshold_samples)
from .meta_diagnostics import meta_epoch_stats, plot_meta_diagnostics
from .metrics import PSNR, SSIM, TwoNetworkAccuracy, psnr
from .records import (confusion, load_epoch_records, make_record,
                      sample_dissection)
from .summary import summarize_history
from .transition_estimate import (anchor_transition, realised_transition,
                                  transition_error, transition_summary)

__all__ = [
    'epoch_dynamics', 'per_sample_ce', 'plot_memorization',
    'plot_loss_distribution', 'summarize_history', 'plot_pred_probs',
    'plot_sample_dissection', 'plot_sample_grid', 'plot_transition_pair',
    'confusion', 'load_epoch_records', 'make_record', 'sample_dissection',
    'PSNR', 'SSIM', 'TwoNetworkAccuracy', 'psnr', 'meta_epoch_stats',
    'plot_meta_diagnostics', 'plot_matrices', 'anchor_transition',
    'realised_transition', 'transition_error', 'transition_summary',
    'aligned_records', 'area_under_margin', 'auroc', 'detection_metrics',
    'worse_than_threshold_samples', 'combine_threshold_runs', 'fix_effect'
]
