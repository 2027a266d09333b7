# Copyright (c) lnl_mm contributors. All rights reserved.
"""The 6-layer CNN of JoCoR (CIFAR) and Co-teaching+ (CIFAR-100)."""
from typing import Tuple

import torch
import torch.nn as nn
from mmpretrain.models.backbones.base_backbone import BaseBackbone
from mmpretrain.registry import MODELS

#: Conv widths of the three blocks, each followed by a 2x2 max-pool.
BLOCKS = ((64, 64), (128, 128), (196, 16))


@MODELS.register_module()
class JoCoRCNN(BaseBackbone):
    """Three blocks of two conv3×3 + BN + ReLU, each then a 2×2 max-pool.

    `Combating Noisy Labels by Agreement: A Joint Training Method with
    Co-Regularization <https://arxiv.org/abs/2003.02752>`_ (CVPR 2020);
    also the CIFAR-100 network of `How does Disagreement Help Generalization
    against Label Corruption? <https://arxiv.org/abs/1901.04215>`_ (ICML
    2019).

    Widths 64, 64 | 128, 128 | 196, 16, padding 1 (32 → 16 → 8 → 4), convs
    with bias, BN momentum 0.1. Returns the flattened ``(N, 16·h·w)``
    features, 256 on 32×32 images: use no neck and ``LinearClsHead(
    in_channels=256)``, the official ``Linear(256, C)``. The official
    ``dropout_rate`` is stored but never applied, so there is none here.

    Args:
        in_channels (int): Input channels. Defaults to 3.
        init_cfg (dict | list, optional): Initialisation config. Defaults to
            None (PyTorch's default initialisation, as the official code).
    """

    def __init__(self, in_channels: int = 3, init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        layers, c = [], in_channels
        for block in BLOCKS:
            for width in block:
                layers += [
                    nn.Conv2d(c, width, 3, 1, 1),
                    nn.BatchNorm2d(width, momentum=0.1),
                    nn.ReLU(inplace=True)
                ]
                c = width
            layers.append(nn.MaxPool2d(2, 2))
        self.features = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor]:
        """Return the flattened features as a one-element tuple."""
        return (self.features(x).flatten(1), )
