# Copyright (c) lnl_mm contributors. All rights reserved.
"""The 4-layer (MNIST) and 8-layer (CIFAR-10) CNNs of the APL / ALFs papers.

`Normalized Loss Functions for Deep Learning with Noisy Labels
<https://arxiv.org/abs/2006.13554>`_ and `Asymmetric Loss Functions for
Learning with Noisy Labels <https://arxiv.org/abs/2106.03110>`_ use the same
two networks. The backbone ends at the penultimate fully connected layer
(FC + BN1d + ReLU); the last FC is mmpretrain's ``LinearClsHead``.
"""
from typing import Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
from mmpretrain.models.backbones.base_backbone import BaseBackbone
from mmpretrain.registry import MODELS


def _conv_bn_relu(c_in: int, c_out: int) -> nn.Sequential:
    # conv with bias, as in the official code
    return nn.Sequential(
        nn.Conv2d(c_in, c_out, 3, padding=1), nn.BatchNorm2d(c_out),
        nn.ReLU(inplace=True))


class _PaperCNN(BaseBackbone):
    """Blocks of conv-BN-ReLU + max-pool, then FC + BN1d + ReLU.

    Args:
        blocks (Sequence[Sequence[int]]): Conv widths per block.
        in_channels (int): Input channels.
        input_size (int | tuple[int, int]): Input height and width; fixes the
            flattened size of the FC layer.
        feat_dim (int): Width of the penultimate FC layer.
        init_cfg (dict, optional): mmengine init config. None gives the
            official initialisation: convs Kaiming-uniform (fan_in, ReLU),
            linear layers Xavier-uniform, biases and BN at PyTorch defaults.
    """

    def __init__(self, blocks: Sequence[Sequence[int]], in_channels: int,
                 input_size: Union[int, Tuple[int, int]], feat_dim: int,
                 init_cfg: Optional[dict]):
        super().__init__(init_cfg=init_cfg)
        h, w = ((input_size, input_size)
                if isinstance(input_size, int) else tuple(input_size))
        if h < 2**len(blocks) or w < 2**len(blocks):
            raise ValueError(f'{type(self).__name__}: input_size {(h, w)} '
                             f'is too small for {len(blocks)} 2x2 pools')
        layers, c = [], in_channels
        for widths in blocks:
            for width in widths:
                layers.append(_conv_bn_relu(c, width))
                c = width
            layers.append(nn.MaxPool2d(2, 2))
            h, w = h // 2, w // 2
        self.features = nn.Sequential(*layers)
        self.input_size = (h * 2**len(blocks), w * 2**len(blocks))
        self.fc = nn.Sequential(
            nn.Linear(c * h * w, feat_dim), nn.BatchNorm1d(feat_dim),
            nn.ReLU(inplace=True))

    def init_weights(self):
        """Official initialisation unless an ``init_cfg`` is given."""
        if self.init_cfg is not None:
            super().init_weights()
            return
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_uniform_(
                    m.weight, mode='fan_in', nonlinearity='relu')
            elif isinstance(m, nn.Linear):
                nn.init.xavier_uniform_(m.weight)

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor]:
        """Return the penultimate features ``(N, feat_dim)`` as a tuple."""
        if tuple(x.shape[-2:]) != self.input_size:
            raise ValueError(f'{type(self).__name__} was built for '
                             f'input_size={self.input_size}, got images of '
                             f'{tuple(x.shape[-2:])}')
        return (self.fc(self.features(x).flatten(1)), )


@MODELS.register_module()
class CNN4Layer(_PaperCNN):
    """The "4-layer CNN" of APL / ALFs for MNIST.

    conv3×3(32)-BN-ReLU, max-pool → conv3×3(64)-BN-ReLU, max-pool →
    FC(64·7·7 → 128)-BN1d-ReLU; the head adds FC(128 → C).

    Args:
        in_channels (int): Defaults to 1.
        input_size (int | tuple): Defaults to 28 (MNIST); 8 for digits.
        init_cfg (dict, optional): Defaults to the official initialisation.
    """

    def __init__(self,
                 in_channels: int = 1,
                 input_size: Union[int, Tuple[int, int]] = 28,
                 init_cfg: Optional[dict] = None):
        super().__init__(((32, ), (64, )), in_channels, input_size, 128,
                         init_cfg)


@MODELS.register_module()
class CNN8Layer(_PaperCNN):
    """The "8-layer CNN" of APL / ALFs for CIFAR-10.

    Three blocks of 2 × [conv3×3-BN-ReLU] with widths 64, 128, 196, each
    followed by a 2×2 max-pool, then FC(196·4·4 → 256)-BN1d-ReLU; the head
    adds FC(256 → C).

    Args:
        in_channels (int): Defaults to 3.
        input_size (int | tuple): Defaults to 32 (CIFAR).
        init_cfg (dict, optional): Defaults to the official initialisation.
    """

    def __init__(self,
                 in_channels: int = 3,
                 input_size: Union[int, Tuple[int, int]] = 32,
                 init_cfg: Optional[dict] = None):
        super().__init__(((64, 64), (128, 128), (196, 196)), in_channels,
                         input_size, 256, init_cfg)
