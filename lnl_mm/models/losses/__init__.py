# Copyright (c) lnl_mm contributors. All rights reserved.
from .active_passive_loss import ActivePassiveLoss
from .alfs_extra_losses import (ANLandRCELoss, NCEandANLLoss, NFLandAELLoss,
                                NFLandAGCELoss, NFLandAULLoss)
from .anorm_loss import ANormLoss, anorm_loss
from .apl_extra_losses import (GCEandMAELoss, GCEandNCELoss, GCEandRCELoss,
                               MAEandRCELoss, NFLandNCELoss, NGCEandNCELoss)
from .apl_losses import (NCEandMAELoss, NCEandRCELoss, NFLandMAELoss,
                         NFLandRCELoss, NGCEandMAELoss, NGCEandRCELoss)
from .asymmetric_losses import (AELLoss, AGCELoss, AULLoss, ael_loss,
                                agce_loss, aul_loss)
from .backward_correction_loss import (BackwardCorrectionLoss,
                                       backward_correction_loss)
from .dmi_loss import DMILoss, dmi_loss
from .elr_loss import elr_probs, elr_regularizer, elr_target_update
from .elr_plus_loss import (elr_plus_target_update, elr_plus_terms,
                            sigmoid_rampup)
from .focal_loss import NFLLoss, SoftmaxFocalLoss, nfl_loss, softmax_focal_loss
from .forward_correction_loss import (ForwardCorrectionLoss,
                                      forward_correction_loss)
from .gce_loss import GCELoss, NGCELoss, gce_loss, ngce_loss
from .gls_loss import GLSLoss, gls_loss
from .heat_kernel_loss import HeatKernelLoss
from .loss_correction_utils import (BaseCorrectionLoss, check_transition,
                                    read_transition)
from .lp_regression_loss import LpRegressionLoss
from .mae_loss import MAELoss, NMAELoss, mae_loss
from .mse_regression_loss import MSERegressionLoss
from .nce_asymmetric_losses import NCEandAELLoss, NCEandAGCELoss, NCEandAULLoss
from .nce_loss import NCELoss, nce_loss
from .nlnl_loss import NLNLLoss, nlnl_loss
from .poisson_kernel_loss import PoissonKernelLoss
from .presets import LOSS_TYPES, LossPreset, loss_preset
from .rce_loss import NRCELoss, RCELoss, rce_loss
from .regression_utils import BaseRegressionLoss, build_regression_loss
from .sce_loss import SCELoss
from .sln_loss import SLNLoss, sln_loss
from .sop_loss import sop_balance, sop_consistency, sop_loss
from .utils import BaseClsLoss

__all__ = [
    'ANLandRCELoss', 'NCEandANLLoss', 'NFLandAELLoss', 'NFLandAGCELoss',
    'NFLandAULLoss', 'ANormLoss', 'anorm_loss', 'DMILoss', 'dmi_loss',
    'elr_probs', 'elr_regularizer', 'elr_target_update',
    'elr_plus_target_update', 'elr_plus_terms', 'sigmoid_rampup', 'NLNLLoss',
    'nlnl_loss', 'GCEandMAELoss', 'GCEandNCELoss', 'GCEandRCELoss',
    'MAEandRCELoss', 'NFLandNCELoss', 'NGCEandNCELoss', 'ActivePassiveLoss',
    'NCEandMAELoss', 'NCEandRCELoss', 'NFLandMAELoss', 'NFLandRCELoss',
    'NGCEandMAELoss', 'NGCEandRCELoss', 'AELLoss', 'AGCELoss', 'AULLoss',
    'ael_loss', 'agce_loss', 'aul_loss', 'NFLLoss', 'SoftmaxFocalLoss',
    'nfl_loss', 'softmax_focal_loss', 'GCELoss', 'NGCELoss', 'gce_loss',
    'ngce_loss', 'GLSLoss', 'gls_loss', 'MAELoss', 'NMAELoss', 'mae_loss',
    'NCEandAELLoss', 'NCEandAGCELoss', 'NCEandAULLoss', 'NCELoss', 'nce_loss',
    'LOSS_TYPES', 'LossPreset', 'loss_preset', 'NRCELoss', 'RCELoss',
    'rce_loss', 'SCELoss', 'SLNLoss', 'sln_loss', 'BaseClsLoss',
    'HeatKernelLoss', 'LpRegressionLoss', 'MSERegressionLoss',
    'PoissonKernelLoss', 'BaseRegressionLoss', 'build_regression_loss',
    'ForwardCorrectionLoss', 'forward_correction_loss',
    'BackwardCorrectionLoss', 'backward_correction_loss', 'BaseCorrectionLoss',
    'check_transition', 'read_transition'
]
