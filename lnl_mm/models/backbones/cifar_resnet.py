# Copyright (c) lnl_mm contributors. All rights reserved.
"""The CIFAR ResNets of He et al. (ResNet-20/32/44/56/110)."""
from typing import Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmpretrain.models.backbones.base_backbone import BaseBackbone
from mmpretrain.registry import MODELS

SHORTCUTS = ('A', 'B')


class CIFARBasicBlock(nn.Module):
    """conv3x3-BN-ReLU-conv3x3-BN plus the shortcut, then ReLU.

    When the shape changes, shortcut ``'A'`` subsamples by 2 and pads the new
    channels with zeros (parameter-free, the paper's CIFAR option), ``'B'``
    uses a 1×1 convolution and BN.
    """

    def __init__(self, in_channels: int, out_channels: int, stride: int,
                 shortcut: str):
        super().__init__()
        self.conv1 = nn.Conv2d(
            in_channels, out_channels, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.pad = 0
        self.shortcut = nn.Identity()
        if stride != 1 or in_channels != out_channels:
            if shortcut == 'A':
                self.pad = out_channels - in_channels
                self.shortcut = nn.Identity()
                self.stride = stride
            else:
                self.shortcut = nn.Sequential(
                    nn.Conv2d(
                        in_channels, out_channels, 1, stride, bias=False),
                    nn.BatchNorm2d(out_channels))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        if self.pad:
            identity = x[:, :, ::self.stride, ::self.stride]
            identity = F.pad(
                identity,
                (0, 0, 0, 0, self.pad // 2, self.pad - self.pad // 2))
        else:
            identity = self.shortcut(x)
        return F.relu(out + identity)


@MODELS.register_module()
class CIFARResNet(BaseBackbone):
    """ResNet-``6n+2`` for 32×32 images.

    `Deep Residual Learning for Image Recognition
    <https://arxiv.org/abs/1512.03385>`_ (CVPR 2016), Section 4.2

    A 3×3 stem of 16 channels, then three stages of ``n = (depth - 2) / 6``
    basic blocks of widths 16, 32, 64 (strides 1, 2, 2). ResNet-32 (n = 5,
    0.46 M parameters with shortcut A) is the network of L2RW (BackgroundFlip),
    Meta-Weight-Net (flip noise, ``MW-Net.py``) and Dynamic Loss; mmpretrain's
    ``ResNet_CIFAR`` has only the ImageNet depths. Pair it with
    ``GlobalAveragePooling`` and ``LinearClsHead(in_channels=64)``.

    Args:
        depth (int): ``6n + 2`` (20, 32, 44, 56, 110). Defaults to 32.
        in_channels (int): Input channels. Defaults to 3.
        shortcut (str): ``'A'`` (zero padding, default) or ``'B'`` (1×1
            projection) where the shape changes.
        init_cfg (dict | list, optional): Defaults to Kaiming normal for
            convolutions and constant 1 / 0 for BatchNorm.
    """

    def __init__(self,
                 depth: int = 32,
                 in_channels: int = 3,
                 shortcut: str = 'A',
                 init_cfg=(dict(type='Kaiming', layer='Conv2d'),
                           dict(type='Constant', val=1,
                                layer=['_BatchNorm']))):
        super().__init__(init_cfg=list(init_cfg) if init_cfg else None)
        if depth < 8 or (depth - 2) % 6:
            raise ValueError(f'depth must be 6n + 2 (20, 32, 44, 56, 110), '
                             f'got depth={depth}')
        if shortcut not in SHORTCUTS:
            raise ValueError(f'shortcut must be one of {SHORTCUTS}, got '
                             f'shortcut={shortcut!r}')
        n = (depth - 2) // 6
        self.stem = nn.Sequential(
            nn.Conv2d(in_channels, 16, 3, 1, 1, bias=False),
            nn.BatchNorm2d(16), nn.ReLU(inplace=True))
        blocks, c_in = [], 16
        for width, stride in ((16, 1), (32, 2), (64, 2)):
            for i in range(n):
                blocks.append(
                    CIFARBasicBlock(c_in, width, stride if i == 0 else 1,
                                    shortcut))
                c_in = width
        self.layers = nn.Sequential(*blocks)

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor]:
        return (self.layers(self.stem(x)), )
