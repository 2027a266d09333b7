# Copyright (c) lnl_mm contributors. All rights reserved.
"""DDP wrapper for the meta-learning classifiers."""
from typing import Dict, Union

import torch
from mmengine.optim import OptimWrapper, OptimWrapperDict
from mmpretrain.registry import MODEL_WRAPPERS

from lnl_mm.models.utils import SampleStore
from lnl_mm.models.utils.dist_utils import broadcast_coalesced
from .cpu_ddp import AnyDeviceDistributedDataParallel


@MODEL_WRAPPERS.register_module()
class MetaDistributedDataParallel(AnyDeviceDistributedDataParallel):
    """Routes ``train_step`` to the meta classifier's own bilevel step.

    MMEngine's :class:`MMDistributedDataParallel` runs a plain forward /
    backward in ``train_step`` and would ignore the classifier's override.
    The bilevel step synchronises explicitly instead (functional forwards
    and ``torch.autograd.grad`` bypass DDP's gradient hooks): the meta
    gradient is averaged, the weight normaliser and the gradients are summed
    over ranks (see :class:`~lnl_mm.models.BaseMetaClassifier`), and the
    BatchNorm buffers are broadcast from rank 0 before every step as DDP
    does, one broadcast per bucket
    (:func:`~lnl_mm.models.utils.dist_utils.broadcast_coalesced`; not the
    per-sample tables, which the classifier keeps identical, nor the buffers
    a classifier names in ``rank_local_buffers``, which are each rank's
    own). Works with NCCL and, on a CPU-only machine, with gloo.

    Config: ``model_wrapper_cfg = dict(type='MetaDistributedDataParallel')``
    (the meta configs set it).
    """

    def train_step(
        self, data: Union[dict, list], optim_wrapper: Union[OptimWrapper,
                                                            OptimWrapperDict]
    ) -> Dict[str, torch.Tensor]:
        local = {
            id(getattr(self.module, name))
            for name in getattr(self.module, 'rank_local_buffers', ())
        }
        broadcast_coalesced(
            buf for module in self.module.modules()
            # the sample store is kept identical by the classifier itself
            if not isinstance(module, SampleStore)
            for buf in module.buffers(recurse=False) if id(buf) not in local)
        return self.module.train_step(data, optim_wrapper)
