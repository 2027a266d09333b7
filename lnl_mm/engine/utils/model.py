# Copyright (c) lnl_mm contributors. All rights reserved.
"""The model inside a wrapper."""
from mmengine.model import is_model_wrapper
from torch import nn


def unwrap_model(model: nn.Module) -> nn.Module:
    """The model a runner trains: ``model.module`` when ``model`` is an
    MMEngine model wrapper (DDP, :class:`MetaDistributedDataParallel`),
    else ``model`` itself."""
    return model.module if is_model_wrapper(model) else model
