# Copyright (c) lnl_mm contributors. All rights reserved.
"""The momentum model of SLN-MO: an EMA of weights *and* BatchNorm stats."""
from typing import Optional

import torch
import torch.nn as nn
from mmengine.model import BaseAveragedModel
from mmpretrain.registry import MODELS

from .sample_store import SampleStore


@MODELS.register_module()
class MomentumModel(BaseAveragedModel):
    r"""Exponential moving average of a model's whole floating-point state.

    SLN-MO of `Noise against noise
    <https://openreview.net/forum?id=80FMcTSZ6J0>`_ (ICLR 2021).

    After every optimiser step, for every floating-point entry of the
    source ``state_dict`` (parameters and buffers such as BatchNorm's
    running mean and variance):

    .. math::
        \theta_{ema} \leftarrow d \, \theta_{ema} + (1 - d) \, \theta

    Integer buffers (``num_batches_tracked``) are left untouched. Unlike
    MMEngine's ``ExponentialMovingAverage``, whose first update *copies*
    the trained weights, the average starts from the model as it is at
    construction (its initialisation, which is also where training starts)
    and every update is a blend, as in the official ``WeightEMA``. The
    update is one fused ``torch._foreach_lerp_`` per dtype and device.

    A :class:`~lnl_mm.models.utils.SampleStore` inside the model is not
    averaged: the copy shares the source's store tensors (or, on another
    device, copies them at every update), so the average and the trained
    model always hold the same per-sample state, and a checkpoint whose
    ``state_dict`` holds the average holds the current store.

    Use it through :class:`~lnl_mm.engine.hooks.MomentumModelHook`
    (``ema_type='MomentumModel'``).

    Args:
        model (nn.Module): The model to average.
        decay (float): ``d`` in ``(0, 1)``. Defaults to 0.999.
        interval (int): Update every ``interval`` calls. Defaults to 1.
        device (torch.device, optional): Where the average lives.
            Defaults to None (the model's device).
        update_buffers (bool): Average the floating-point buffers too.
            Defaults to True (SLN averages BatchNorm statistics).
    """

    def __init__(self,
                 model: nn.Module,
                 decay: float = 0.999,
                 interval: int = 1,
                 device: Optional[torch.device] = None,
                 update_buffers: bool = True) -> None:
        if not (isinstance(decay, (int, float)) and 0 < decay < 1):
            raise ValueError(f'MomentumModel: decay must be in (0, 1), got '
                             f'decay={decay!r}')
        if not isinstance(interval, int) or interval < 1:
            raise ValueError('MomentumModel: interval must be an int >= 1, '
                             f'got interval={interval!r}')
        super().__init__(model, interval, device, update_buffers)
        self.decay = float(decay)
        self._share_stores(model)

    def _share_stores(self, model: nn.Module) -> None:
        """Point the copy's SampleStore buffers at the source's."""
        copies = dict(self.module.named_modules())
        self._store_pairs = []
        for name, store in model.named_modules():
            if not isinstance(store, SampleStore):
                continue
            copy = copies[name]
            for key, buf in store.named_buffers(recurse=False):
                full = f'{name}.{key}' if name else key
                self.avg_parameters.pop(full, None)
                if getattr(copy, key).device == buf.device:
                    setattr(copy, key, buf)  # shared: always equal
                else:
                    self._store_pairs.append((copy, key, buf))

    def avg_func(self, averaged_param: torch.Tensor,
                 source_param: torch.Tensor, steps: int) -> None:
        """``averaged <- decay * averaged + (1 - decay) * source``."""
        averaged_param.lerp_(source_param, 1.0 - self.decay)

    def _source_tensors(self, model: nn.Module) -> dict:
        return (model.state_dict(keep_vars=True)
                if self.update_buffers else dict(model.named_parameters()))

    def update_parameters(self,
                          model: nn.Module,
                          decay: Optional[float] = None) -> None:
        """Blend the source model into the average (see the class doc).

        Args:
            model (nn.Module): The trained (source) model.
            decay (float, optional): This update's ``d`` in ``[0, 1)``
                instead of :attr:`decay` (a ramped decay, ELR+'s).
        """
        d = self.decay if decay is None else float(decay)
        if not 0 <= d < 1:
            raise ValueError(f'MomentumModel: decay must be in [0, 1), got '
                             f'decay={decay!r}')
        if self.steps % self.interval == 0:
            src = self._source_tensors(model)
            groups = {}
            for key, avg in self.avg_parameters.items():
                if not avg.dtype.is_floating_point:
                    continue
                source = src[key].detach()
                if source.device != avg.device:
                    source = source.to(avg.device)
                groups.setdefault((avg.dtype, avg.device), ([], []))
                groups[(avg.dtype, avg.device)][0].append(avg.data)
                groups[(avg.dtype, avg.device)][1].append(source)
            with torch.no_grad():
                for avgs, sources in groups.values():
                    torch._foreach_lerp_(avgs, sources, 1.0 - d)
        if not self.update_buffers:
            for b_avg, b_src in zip(self.module.buffers(), model.buffers()):
                b_avg.data.copy_(b_src.data.to(b_avg.device))
        for copy, key, buf in self._store_pairs:
            setattr(copy, key, buf.detach().to(getattr(copy, key).device))
        self.steps += 1
