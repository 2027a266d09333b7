# Copyright (c) lnl_mm contributors. All rights reserved.
"""Sample selection and semi-supervised pieces of the two-network methods
(Co-teaching, Co-teaching+, JoCoR, DivideMix), in functional form."""
from .gmm_division import (GMM_KWARGS, clean_probability, division_stats,
                           min_max_normalize)
from .jocor import jocor_per_sample_loss, symmetric_kl
from .mixmatch import (linear_rampup, mix_coefficient, mixup,
                       negative_entropy_sum, prior_penalty, sharpen,
                       soft_cross_entropy_sum, squared_error_sum)
from .small_loss import (check_forget_rate, forget_rate_at,
                         global_small_loss_mask, num_remembered,
                         small_loss_mask)

__all__ = [
    'GMM_KWARGS', 'clean_probability', 'division_stats', 'min_max_normalize',
    'jocor_per_sample_loss', 'symmetric_kl', 'linear_rampup',
    'mix_coefficient', 'mixup', 'negative_entropy_sum', 'prior_penalty',
    'sharpen', 'soft_cross_entropy_sum', 'squared_error_sum',
    'check_forget_rate', 'forget_rate_at', 'global_small_loss_mask',
    'num_remembered', 'small_loss_mask'
]
