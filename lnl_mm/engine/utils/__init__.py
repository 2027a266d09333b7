# Copyright (c) lnl_mm contributors. All rights reserved.
from .predict import dataset_loader, predict_logits

__all__ = ['dataset_loader', 'predict_logits']
