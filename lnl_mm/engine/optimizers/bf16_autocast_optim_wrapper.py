# Copyright (c) lnl_mm contributors. All rights reserved.
"""Mixed precision where MMEngine's ``AmpOptimWrapper`` refuses to run."""
from contextlib import contextmanager

import torch
from mmengine.optim import OptimWrapper
from mmpretrain.registry import OPTIM_WRAPPERS
from torch import nn


@OPTIM_WRAPPERS.register_module()
class BF16AutocastOptimWrapper(OptimWrapper):
    """An :class:`OptimWrapper` whose forward runs under bfloat16 autocast.

    MMEngine's ``AmpOptimWrapper`` is float16 with loss scaling and refuses
    a machine without an accelerator ("only available training on gpu,
    npu, mlu or musa"). PyTorch's CPU autocast supports bfloat16, which has
    float32's exponent range, so no loss scaling is needed; parameters,
    gradients and the optimizer state stay float32. ``tools/train.py
    --amp`` selects this wrapper when no GPU is present (and
    ``AmpOptimWrapper`` otherwise). The robust losses compute in float32
    whatever the autocast dtype (``lnl_mm.models.losses.utils.upcast``).

    Args:
        device_type (str, optional): The autocast device. Defaults to the
            device of the model's first parameter at the first step.
        **kwargs: Arguments of :class:`OptimWrapper`.
    """

    def __init__(self, *args, device_type=None, **kwargs):
        super().__init__(*args, **kwargs)
        if device_type not in (None, 'cpu', 'cuda'):
            raise ValueError("BF16AutocastOptimWrapper: device_type must be "
                             f"None, 'cpu' or 'cuda', got {device_type!r}")
        self.device_type = device_type

    @contextmanager
    def optim_context(self, model: nn.Module):
        """Autocast to bfloat16 around the forward (and the gradient
        accumulation context of :class:`OptimWrapper`)."""
        device = self.device_type
        if device is None:
            first = next(model.parameters(), None)
            device = first.device.type if first is not None else 'cpu'
        with super().optim_context(model), torch.autocast(
                device_type=device, dtype=torch.bfloat16):
            yield
