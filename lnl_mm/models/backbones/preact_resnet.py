# Copyright (c) lnl_mm contributors. All rights reserved.
"""The pre-activation ResNet-18 of DivideMix (``PreResNet.py``)."""
from typing import Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmpretrain.models.backbones.base_backbone import BaseBackbone
from mmpretrain.registry import MODELS

#: (width, stride) of each stage; two blocks per stage.
STAGES = ((64, 1), (128, 2), (256, 2), (512, 2))


class PreActBlock(nn.Module):
    """BN-ReLU, then conv3x3 → BN-ReLU → conv3x3, plus the shortcut.

    The shortcut is the identity, or a 1×1 convolution (no BN) of the
    *pre-activated* input where the stride or the width changes.
    """

    def __init__(self, in_channels: int, out_channels: int, stride: int):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(in_channels)
        self.conv1 = nn.Conv2d(
            in_channels, out_channels, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, 1, 1, bias=False)
        self.shortcut = None
        if stride != 1 or in_channels != out_channels:
            self.shortcut = nn.Conv2d(
                in_channels, out_channels, 1, stride, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        pre = F.relu(self.bn1(x))
        identity = x if self.shortcut is None else self.shortcut(pre)
        out = self.conv2(F.relu(self.bn2(self.conv1(pre))))
        return out + identity


@MODELS.register_module()
class PreActResNet18(BaseBackbone):
    """Pre-activation ResNet-18 as DivideMix builds it for CIFAR.

    `DivideMix: Learning with Noisy Labels as Semi-supervised Learning
    <https://arxiv.org/abs/2002.07394>`_ (ICLR 2020); blocks of `Identity
    Mappings in Deep Residual Networks <https://arxiv.org/abs/1603.05027>`_.

    A conv3×3 (64) + BN + ReLU stem, then four stages of two
    :class:`PreActBlock` (widths 64/128/256/512, strides 1/2/2/2). As in the
    official ``PreResNet.py`` there is **no final BN-ReLU** after the last
    block (He et al.'s network has one: ``final_bn_relu=True``), so the
    features can be negative. Returns the last feature map
    ``(N, 512, H/8, W/8)``; the official ``avg_pool2d(4)`` on 32×32 images is
    ``GlobalAveragePooling``, then ``LinearClsHead(in_channels=512)``.
    Weights keep PyTorch's default initialisation, as the official code.

    Args:
        in_channels (int): Input channels. Defaults to 3.
        final_bn_relu (bool): Add BN + ReLU after the last block. Defaults
            to False (the official network).
        init_cfg (dict | list, optional): Initialisation config. Defaults to
            None (PyTorch's default initialisation).
    """

    def __init__(self,
                 in_channels: int = 3,
                 final_bn_relu: bool = False,
                 init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        if isinstance(
                in_channels,
                bool) or not isinstance(in_channels, int) or in_channels < 1:
            raise ValueError('in_channels must be an int >= 1, got '
                             f'in_channels={in_channels!r}')
        if not isinstance(final_bn_relu, bool):
            raise ValueError('final_bn_relu must be a bool, got '
                             f'final_bn_relu={final_bn_relu!r}')
        self.stem = nn.Sequential(
            nn.Conv2d(in_channels, 64, 3, 1, 1, bias=False),
            nn.BatchNorm2d(64), nn.ReLU(inplace=True))
        blocks, c_in = [], 64
        for width, stride in STAGES:
            for s in (stride, 1):
                blocks.append(PreActBlock(c_in, width, s))
                c_in = width
        self.layers = nn.Sequential(*blocks)
        self.final_bn_relu = final_bn_relu
        self.post = nn.Sequential(nn.BatchNorm2d(c_in), nn.ReLU(
            inplace=True)) if final_bn_relu else nn.Identity()

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor]:
        """Return the last feature map as a one-element tuple."""
        return (self.post(self.layers(self.stem(x))), )
