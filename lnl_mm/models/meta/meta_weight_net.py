# Copyright (c) lnl_mm contributors. All rights reserved.
"""The weighting network of Meta-Weight-Net."""
import torch
from mmengine.model import BaseModule
from mmpretrain.registry import MODELS
from torch import Tensor, nn


@MODELS.register_module()
class MetaWeightNet(BaseModule):
    r"""V-Net: a per-sample weight from the sample's loss.

    `Meta-Weight-Net: Learning an Explicit Mapping For Sample Weighting
    <https://arxiv.org/abs/1902.07379>`_ (NeurIPS 2019)

    .. math::
        v(\ell) = \sigma\big(W_2\, \mathrm{ReLU}(W_1 \ell + b_1) + b_2\big)
        \in (0, 1)

    an MLP 1 → ``hidden`` → 1 on the *detached* per-sample loss. Linear
    layers use PyTorch's default initialisation, as the official code.

    Args:
        hidden (int): Hidden width. Defaults to 100.
        init_cfg (dict, optional): MMEngine initialisation config.
    """

    def __init__(self, hidden: int = 100, init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        if not isinstance(hidden, int) or hidden < 1:
            raise ValueError('MetaWeightNet: hidden must be a positive int, '
                             f'got hidden={hidden!r}')
        self.fc1 = nn.Linear(1, hidden)
        self.fc2 = nn.Linear(hidden, 1)

    def forward(self, losses: Tensor) -> Tensor:
        """``(B,)`` losses (detached here) → ``(B,)`` weights in (0, 1)."""
        x = losses.detach().float().reshape(-1, 1)
        return torch.sigmoid(self.fc2(torch.relu(self.fc1(x)))).reshape(-1)
