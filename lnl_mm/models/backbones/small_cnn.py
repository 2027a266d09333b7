# Copyright (c) lnl_mm contributors. All rights reserved.
"""A small CNN for tiny grey images (digits, MNIST-sized smoke tests)."""
from typing import Sequence, Tuple

import torch
import torch.nn as nn
from mmcv.cnn import ConvModule
from mmpretrain.models.backbones.base_backbone import BaseBackbone
from mmpretrain.registry import MODELS


@MODELS.register_module()
class SmallCNN(BaseBackbone):
    """Stages of two 3×3 conv-BN-ReLU blocks, 2×2 max-pool between stages.

    For 8×8 digits the default ``channels=(32, 64)`` gives a 4×4×64 feature
    map (≈ 65 k parameters); pair it with ``GlobalAveragePooling`` and a
    ``LinearClsHead(in_channels=channels[-1])``.

    Args:
        in_channels (int): Input channels. Defaults to 1.
        channels (Sequence[int]): Width of each stage. Defaults to (32, 64).
        init_cfg (dict, optional): Initialisation config. Defaults to Kaiming
            for convs and constant 1 / 0 for BatchNorm.
    """

    def __init__(self,
                 in_channels: int = 1,
                 channels: Sequence[int] = (32, 64),
                 init_cfg=None):
        if init_cfg is None:
            init_cfg = [
                dict(type='Kaiming', layer='Conv2d'),
                dict(type='Constant', val=1, layer=['_BatchNorm'])
            ]
        super().__init__(init_cfg=init_cfg)
        if not channels:
            raise ValueError('channels must name at least one stage')
        layers = []
        c_in = in_channels
        for i, c in enumerate(channels):
            if i > 0:
                layers.append(nn.MaxPool2d(2))
            for _ in range(2):
                layers.append(
                    ConvModule(
                        c_in, c, 3, padding=1, norm_cfg=dict(type='BN')))
                c_in = c
        self.layers = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor]:
        """Return the last feature map as a one-element tuple."""
        return (self.layers(x), )
