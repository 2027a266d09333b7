# Copyright (c) lnl_mm contributors. All rights reserved.
"""Wide ResNet for 32×32 images (WRN-d-k), as used by SLN."""
from typing import Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmpretrain.models.backbones.base_backbone import BaseBackbone
from mmpretrain.registry import MODELS


class WideBasicBlock(nn.Module):
    """Pre-activation block: BN-ReLU-conv3x3 (-dropout) BN-ReLU-conv3x3.

    The stride is on the second convolution; the shortcut is a 1×1
    convolution when the shape changes. Convolutions have biases.
    """

    def __init__(self, in_channels: int, out_channels: int, stride: int,
                 dropout: float):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(in_channels)
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, padding=1)
        self.dropout = nn.Dropout(dropout) if dropout > 0 else nn.Identity()
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.conv2 = nn.Conv2d(
            out_channels, out_channels, 3, stride=stride, padding=1)
        self.shortcut = nn.Identity()
        if stride != 1 or in_channels != out_channels:
            self.shortcut = nn.Conv2d(
                in_channels, out_channels, 1, stride=stride)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.dropout(self.conv1(F.relu(self.bn1(x))))
        out = self.conv2(F.relu(self.bn2(out)))
        return out + self.shortcut(x)


class MWNetWideBlock(nn.Module):
    """The block of Meta-Weight-Net's ``wideresnet.py`` (the classic WRN
    code): BN-ReLU-conv3x3 (stride here) BN-ReLU (-dropout) conv3x3, no
    biases; when the shape changes the 1×1 shortcut takes the
    *pre-activated* input."""

    def __init__(self, in_channels: int, out_channels: int, stride: int,
                 dropout: float):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(in_channels)
        self.conv1 = nn.Conv2d(
            in_channels, out_channels, 3, stride=stride, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.dropout = nn.Dropout(dropout) if dropout > 0 else nn.Identity()
        self.conv2 = nn.Conv2d(
            out_channels, out_channels, 3, padding=1, bias=False)
        self.equal = in_channels == out_channels and stride == 1
        self.shortcut = nn.Identity() if self.equal else nn.Conv2d(
            in_channels, out_channels, 1, stride=stride, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        act = F.relu(self.bn1(x))
        out = self.dropout(F.relu(self.bn2(self.conv1(act))))
        out = self.conv2(out)
        return out + (x if self.equal else self.shortcut(act))


BLOCK_STYLES = dict(sln=WideBasicBlock, mwnet=MWNetWideBlock)


@MODELS.register_module()
class WideResNetCIFAR(BaseBackbone):
    """Wide ResNet WRN-``depth``-``widen_factor`` for CIFAR-sized inputs.

    `Wide Residual Networks <https://arxiv.org/abs/1605.07146>`_ (BMVC 2016)

    A 3×3 stem of 16 channels, three stages of ``n = (depth - 4) / 6``
    pre-activation :class:`WideBasicBlock` s of widths ``16k, 32k, 64k``
    (strides 1, 2, 2), then BN-ReLU. WRN-28-2 (1.47 M parameters) is the
    network of SLN's official CIFAR code (``networks/wideresnet.py``):
    biased convolutions, no dropout, PyTorch's default initialisation.
    Pair it with ``GlobalAveragePooling`` and ``LinearClsHead(in_channels=
    64 * widen_factor)``.

    The official code builds the final BatchNorm with ``momentum=0.9``,
    which in PyTorch semantics weights the *current batch* by 0.9; this
    class uses PyTorch's default 0.1 and exposes the official value as
    ``final_bn_momentum=0.9``.

    Args:
        depth (int): ``6n + 4``. Defaults to 28.
        widen_factor (int): ``k``. Defaults to 2.
        in_channels (int): Input channels. Defaults to 3.
        dropout (float): Dropout between the convolutions of a block.
            Defaults to 0.0.
        final_bn_momentum (float): Momentum of the last BatchNorm.
            Defaults to 0.1.
        block_style (str): ``'sln'`` (:class:`WideBasicBlock`, SLN's) or
            ``'mwnet'`` (:class:`MWNetWideBlock`, Meta-Weight-Net's: stride
            on the first convolution, no biases, the shortcut on the
            pre-activated input, a stem without bias). Defaults to
            ``'sln'``.
        init_cfg (dict, optional): Initialisation config. Defaults to None
            (PyTorch's default initialisation, as the official code).
    """

    def __init__(self,
                 depth: int = 28,
                 widen_factor: int = 2,
                 in_channels: int = 3,
                 dropout: float = 0.0,
                 final_bn_momentum: float = 0.1,
                 block_style: str = 'sln',
                 init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        if not isinstance(depth, int) or depth < 10 or (depth - 4) % 6:
            raise ValueError(f'WideResNetCIFAR: depth must be 6n + 4 with '
                             f'n >= 1, got depth={depth!r}')
        if not isinstance(widen_factor, int) or widen_factor < 1:
            raise ValueError('WideResNetCIFAR: widen_factor must be an int '
                             f'>= 1, got widen_factor={widen_factor!r}')
        if not 0 <= dropout < 1:
            raise ValueError('WideResNetCIFAR: dropout must be in [0, 1), '
                             f'got dropout={dropout!r}')
        if block_style not in BLOCK_STYLES:
            raise ValueError(f'WideResNetCIFAR: block_style must be one of '
                             f'{sorted(BLOCK_STYLES)}, got '
                             f'block_style={block_style!r}')
        block = BLOCK_STYLES[block_style]
        num_blocks = (depth - 4) // 6
        widths = [16 * widen_factor, 32 * widen_factor, 64 * widen_factor]
        self.conv1 = nn.Conv2d(
            in_channels, 16, 3, padding=1, bias=block_style == 'sln')
        stages, c_in = [], 16
        for width, stride in zip(widths, (1, 2, 2)):
            blocks = []
            for i in range(num_blocks):
                blocks.append(
                    block(c_in, width, stride if i == 0 else 1, dropout))
                c_in = width
            stages.append(nn.Sequential(*blocks))
        self.layer1, self.layer2, self.layer3 = stages
        self.bn = nn.BatchNorm2d(c_in, momentum=final_bn_momentum)
        self.out_channels = c_in

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor]:
        """Return the final BN-ReLU feature map as a one-element tuple."""
        x = self.layer3(self.layer2(self.layer1(self.conv1(x))))
        return (F.relu(self.bn(x)), )
