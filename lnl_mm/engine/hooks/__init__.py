# Copyright (c) lnl_mm contributors. All rights reserved.
from .accuracy_summary_hook import AccuracySummaryHook
from .noise_manifest_hook import NoiseManifestHook
from .safe_checkpoint_hook import SafeCheckpointHook
from .training_dynamics_hook import TrainingDynamicsHook

__all__ = [
    'AccuracySummaryHook', 'NoiseManifestHook', 'SafeCheckpointHook',
    'TrainingDynamicsHook'
]
