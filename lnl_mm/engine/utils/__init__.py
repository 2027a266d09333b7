# Copyright (c) lnl_mm contributors. All rights reserved.
from .model import unwrap_model
from .predict import dataset_loader, predict_features, predict_logits
from .records import (build_from_checkpoint, load_records,
                      records_from_checkpoint)
from .stage import EXTRA_PASS_STAGES, is_extra_pass, loop_stage
from .sweep import (TrialProgressHook, aggregate, evaluate_last_checkpoint,
                    grid, holdout_config, holdout_metric, markdown_table,
                    parse_param, parse_value)

__all__ = [
    'dataset_loader', 'predict_features', 'predict_logits',
    'build_from_checkpoint', 'load_records', 'records_from_checkpoint',
    'aggregate', 'grid', 'holdout_config', 'markdown_table', 'parse_param',
    'parse_value', 'loop_stage', 'EXTRA_PASS_STAGES', 'is_extra_pass',
    'evaluate_last_checkpoint', 'TrialProgressHook', 'holdout_metric',
    'unwrap_model'
]
