# Copyright (c) lnl_mm contributors. All rights reserved.
r"""Forward-mode convolutions that reuse the primal of a forward that ran.

A replayed forward (:mod:`.replay`) recomputes the primal of every
convolution, although the real forward computed the very same output a
moment before. A convolution is bilinear, so its tangent needs only the
primal *input*:

.. math::
    \dot y = \mathrm{conv}(\dot x, W) + \mathrm{conv}(x, \dot W) + \dot b ,

and the primal output can be the real forward's. :class:`ConvRecorder`
keeps the outputs of the real forward's ``F.conv1d/2d/3d`` calls in order
(as detached views: no copy, no graph); :func:`conv_jvp` takes the tangent
and reuses the recorded output if it is still valid -- same call position, the
same weight tensor unchanged since, an input of the same shape and dtype,
an output whose version counter has not moved (an in-place op on it, e.g.
``ReLU(inplace=True)``, makes it stale and the primal is computed again).
On ResNet-32 this saves a third of the replay's convolutions.
Pure PyTorch, like :mod:`.functional`.
"""
from dataclasses import dataclass
from typing import Callable, List, Optional, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor
from torch.overrides import TorchFunctionMode

CONVS = (F.conv1d, F.conv2d, F.conv3d)


@dataclass
class RecordedConv:
    """The output of one convolution of a recorded forward, and what it was
    computed from (the input's shape; the weight's storage and version)."""
    output: Tensor
    version: int
    input_shape: torch.Size
    weight_ptr: int
    weight_version: int

    @classmethod
    def of(cls, output: Tensor, x: Tensor, weight: Tensor) -> 'RecordedConv':
        """The record of ``output = conv(x, weight, ...)``."""
        view = output.detach()  # shares storage and version counter
        return cls(view, view._version, x.shape, weight.data_ptr(),
                   weight._version)

    def matches(self, x: Tensor, weight: Tensor) -> bool:
        """Whether the output is still valid for a call on ``x`` with
        ``weight``: the same weight tensor, unchanged since, an input of the
        same shape and dtype, and an output nothing has modified."""
        return (self.output._version == self.version
                and weight.data_ptr() == self.weight_ptr
                and weight._version == self.weight_version
                and x.shape == self.input_shape
                and self.output.dtype == x.dtype
                and self.output.device == x.device)


class ConvRecorder(TorchFunctionMode):
    """Records the outputs of the convolutions of a forward, in order."""

    def __init__(self, outputs: List[RecordedConv]):
        super().__init__()
        self.outputs = outputs

    def __torch_function__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        if func in CONVS:
            x, weight = _input_and_weight(args, kwargs or {})
            self.outputs.append(RecordedConv.of(out, x, weight))
        return out


def _input_and_weight(args, kwargs) -> Tuple[Tensor, Tensor]:
    x = args[0] if args else kwargs['input']
    weight = args[1] if len(args) > 1 else kwargs['weight']
    return x, weight


def conv_jvp(func: Callable[..., Tensor],
             x: Tensor,
             x_t: Optional[Tensor],
             weight: Tensor,
             weight_t: Optional[Tensor],
             bias: Optional[Tensor],
             bias_t: Optional[Tensor],
             *args,
             primal: Optional[Tensor] = None,
             **kwargs) -> Tuple[Tensor, Tensor]:
    """``(y, y_t)`` of a convolution and its directional derivative.

    Args:
        func (callable): ``F.conv1d``, ``F.conv2d`` or ``F.conv3d``.
        x, weight, bias (Tensor): The primal arguments (``bias`` may be
            None).
        x_t, weight_t, bias_t (Tensor, optional): Their tangents (None:
            zero).
        *args, **kwargs: The remaining arguments of ``func`` (stride,
            padding, dilation, groups).
        primal (Tensor, optional): ``func(x, weight, bias, ...)`` if already
            known (a recorded output); computed otherwise.

    Returns:
        tuple[Tensor, Tensor]: ``y`` and ``y_t = func(x_t, weight) +
        func(x, weight_t) + bias_t``.
    """
    y = func(x, weight, bias, *args, **kwargs) if primal is None else primal
    y_t = None
    if x_t is not None:
        y_t = func(x_t, weight, None, *args, **kwargs)
    if weight_t is not None:
        term = func(x, weight_t, bias_t, *args, **kwargs)
        y_t = term if y_t is None else y_t.add_(term)
    elif bias_t is not None:
        shape = (1, -1) + (1, ) * (y.dim() - 2)
        y_t = (torch.zeros_like(y) if y_t is None else y_t).add_(
            bias_t.view(shape))
    if y_t is None:
        y_t = torch.zeros_like(y)
    return y, y_t
