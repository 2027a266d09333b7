# Copyright (c) lnl_mm contributors. All rights reserved.
"""The one-hidden-layer MLP of Co-teaching+ and JoCoR on MNIST."""
from typing import Tuple

import torch
import torch.nn as nn
from mmpretrain.models.backbones.base_backbone import BaseBackbone
from mmpretrain.registry import MODELS


def _check_size(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f'{name} must be an int >= 1, got {name}={value!r}')
    return value


@MODELS.register_module()
class MLPNet(BaseBackbone):
    """Flatten, then ``Linear(in_features, hidden)`` + ReLU.

    The MNIST network of `Co-teaching+ <https://arxiv.org/abs/1901.04215>`_
    (ICML 2019) and `JoCoR <https://arxiv.org/abs/2003.02752>`_ (CVPR
    2020): 784-256-C. Returns the ``(N, hidden)`` features; the head is
    ``LinearClsHead(in_channels=hidden)`` without a neck.

    Args:
        in_features (int): Size of a flattened image. Defaults to 784
            (28×28×1).
        hidden (int): Hidden width. Defaults to 256.
        init_cfg (dict | list, optional): Initialisation config. Defaults to
            None (PyTorch's default initialisation, as the official code).
    """

    def __init__(self,
                 in_features: int = 784,
                 hidden: int = 256,
                 init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        self.in_features = _check_size('in_features', in_features)
        self.fc = nn.Linear(in_features, _check_size('hidden', hidden))
        self.relu = nn.ReLU(inplace=True)

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor]:
        """Return the hidden features as a one-element tuple."""
        x = x.flatten(1)
        if x.shape[1] != self.in_features:
            raise ValueError(f'MLPNet was built for in_features='
                             f'{self.in_features}, got inputs of '
                             f'{x.shape[1]} values per sample')
        return (self.relu(self.fc(x)), )
