# Copyright (c) lnl_mm contributors. All rights reserved.
"""DDP that also works when the model lives on the CPU (gloo)."""
import torch
from mmengine.model import MMDistributedDataParallel
from mmpretrain.registry import MODEL_WRAPPERS


@MODEL_WRAPPERS.register_module()
class AnyDeviceDistributedDataParallel(MMDistributedDataParallel):
    """:class:`MMDistributedDataParallel` that drops ``device_ids`` on CPU.

    MMEngine's runner always passes ``device_ids=[LOCAL_RANK]``, which
    PyTorch rejects for a CPU module. ``tools/train.py`` selects this wrapper
    when no GPU is available, so ``tools/dist_train.sh CONFIG 2`` trains with
    two gloo processes on a CPU-only machine.
    """

    def __init__(self, module: torch.nn.Module, **kwargs):
        if next(module.parameters()).device.type == 'cpu':
            kwargs.pop('device_ids', None)
            kwargs.pop('output_device', None)
        super().__init__(module=module, **kwargs)
