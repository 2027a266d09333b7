# Copyright (c) lnl_mm contributors. All rights reserved.
"""The LeNet-like CIFAR-10 network of Co-teaching+ (``CNN_small``)."""
from typing import Tuple, Union

import torch
import torch.nn as nn
from mmpretrain.models.backbones.base_backbone import BaseBackbone
from mmpretrain.registry import MODELS


@MODELS.register_module()
class LeNetSmall(BaseBackbone):
    """conv5×5 (6) - ReLU - pool, conv5×5 (16) - ReLU - pool, FC 120, FC 84.

    The CIFAR-10 network of `How does Disagreement Help Generalization
    against Label Corruption? <https://arxiv.org/abs/1901.04215>`_ (ICML
    2019). Unpadded convs, 2×2 max-pools, ReLU everywhere, no BN; on 32×32
    images the flattened map has 16·5·5 = 400 values. Returns the ``(N, 84)``
    features; the head is ``LinearClsHead(in_channels=84)`` without a neck.

    Args:
        in_channels (int): Input channels. Defaults to 3.
        input_size (int | tuple[int, int]): Input height and width; fixes
            the input of the first FC layer. Defaults to 32.
        init_cfg (dict | list, optional): Initialisation config. Defaults to
            None (PyTorch's default initialisation, as the official code).
    """

    def __init__(self,
                 in_channels: int = 3,
                 input_size: Union[int, Tuple[int, int]] = 32,
                 init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        h, w = ((input_size, input_size)
                if isinstance(input_size, int) else tuple(input_size))
        self.input_size = (h, w)
        for _ in range(2):  # conv 5x5 (valid), then pool 2
            h, w = (h - 4) // 2, (w - 4) // 2
        if h < 1 or w < 1:
            raise ValueError('LeNetSmall: input_size '
                             f'{self.input_size} is too small for two 5x5 '
                             'convs and two 2x2 pools')
        self.features = nn.Sequential(
            nn.Conv2d(in_channels, 6, 5), nn.ReLU(inplace=True),
            nn.MaxPool2d(2, 2), nn.Conv2d(6, 16, 5), nn.ReLU(inplace=True),
            nn.MaxPool2d(2, 2))
        self.fc = nn.Sequential(
            nn.Linear(16 * h * w, 120), nn.ReLU(inplace=True),
            nn.Linear(120, 84), nn.ReLU(inplace=True))

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor]:
        """Return the 84 penultimate features as a one-element tuple."""
        if tuple(x.shape[-2:]) != self.input_size:
            raise ValueError('LeNetSmall was built for input_size='
                             f'{self.input_size}, got images of '
                             f'{tuple(x.shape[-2:])}')
        return (self.fc(self.features(x).flatten(1)), )
