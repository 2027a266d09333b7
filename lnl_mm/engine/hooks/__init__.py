# Copyright (c) lnl_mm contributors. All rights reserved.
from .accuracy_summary_hook import AccuracySummaryHook
from .bn_eval_quirk_hook import BNEvalQuirkHook
from .gls_warmup_hook import GLSWarmupHook
from .label_correction_hook import SLNLabelCorrectionHook
from .loss_correction_hook import LossCorrectionHook
from .meta_diagnostics_hook import MetaDiagnosticsHook
from .momentum_model_hook import MomentumModelHook
from .noise_manifest_hook import NoiseManifestHook
from .resume_check_hook import ResumeCheckHook
from .safe_checkpoint_hook import SafeCheckpointHook
from .sample_store_hook import SampleStoreHook
from .train_label_counts_hook import TrainLabelCountsHook
from .training_dynamics_hook import TrainingDynamicsHook

__all__ = [
    'BNEvalQuirkHook', 'AccuracySummaryHook', 'GLSWarmupHook',
    'LossCorrectionHook', 'MetaDiagnosticsHook', 'MomentumModelHook',
    'NoiseManifestHook', 'ResumeCheckHook', 'SafeCheckpointHook',
    'SampleStoreHook', 'SLNLabelCorrectionHook', 'TrainLabelCountsHook',
    'TrainingDynamicsHook'
]
