# Copyright (c) lnl_mm contributors. All rights reserved.
"""The 9-layer CNN of Co-teaching (``model.py`` of bhanML/Co-teaching)."""
from typing import Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmpretrain.models.backbones.base_backbone import BaseBackbone
from mmpretrain.registry import MODELS

#: When the two ``dropout2d`` layers are active.
DROPOUT_MODES = ('train', 'off', 'always')
#: Conv widths and paddings of the three groups.
GROUPS = (((128, 1), (128, 1), (128, 1)), ((256, 1), (256, 1), (256, 1)),
          ((512, 0), (256, 0), (128, 0)))


def _conv_bn_lrelu(c_in: int, c_out: int, padding: int) -> nn.Sequential:
    # conv with bias, BN at PyTorch's defaults, LeakyReLU(0.01)
    return nn.Sequential(
        nn.Conv2d(c_in, c_out, 3, 1, padding), nn.BatchNorm2d(c_out),
        nn.LeakyReLU(0.01, inplace=True))


@MODELS.register_module()
class CoTeachingCNN(BaseBackbone):
    """The 9-conv-layer CNN of Co-teaching (MNIST, CIFAR-10, CIFAR-100).

    `Co-teaching: Robust Training of Deep Neural Networks with Extremely
    Noisy Labels <https://arxiv.org/abs/1804.06872>`_ (NeurIPS 2018)

    Three groups of three conv3×3 + BN + LeakyReLU(0.01): 128 channels
    (padding 1), max-pool 2, ``dropout2d``; 256 channels (padding 1),
    max-pool 2, ``dropout2d``; 512, 256, 128 channels without padding.
    Returns the ``(N, 128, h, w)`` map (2×2 on 32×32 images, 1×1 on 28×28);
    pair it with ``GlobalAveragePooling`` and ``LinearClsHead(
    in_channels=128)``, the official average pooling and ``Linear(128, C)``.

    The official code calls ``F.dropout2d`` without ``training=``, whose
    default changed with PyTorch 1.0, so ``dropout`` chooses:

    * ``'train'`` (default): active in training only, the evident intent;
    * ``'off'``: never, what the paper's PyTorch 0.3 run did;
    * ``'always'``: also in eval mode, what the official code does under
      PyTorch >= 1.0 (test predictions are random).

    Args:
        in_channels (int): Input channels (1 for MNIST). Defaults to 3.
        dropout (str): See above. Defaults to ``'train'``.
        dropout_rate (float): Channel dropout probability. Defaults to 0.25.
        init_cfg (dict | list, optional): Initialisation config. Defaults to
            None (PyTorch's default initialisation, as the official code).
    """

    def __init__(self,
                 in_channels: int = 3,
                 dropout: str = 'train',
                 dropout_rate: float = 0.25,
                 init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        if dropout not in DROPOUT_MODES:
            raise ValueError(f'dropout must be one of {DROPOUT_MODES}, got '
                             f'dropout={dropout!r}')
        if isinstance(dropout_rate, bool) or not isinstance(
                dropout_rate, (int, float)) or not 0 <= dropout_rate < 1:
            raise ValueError('dropout_rate must be a number in [0, 1), got '
                             f'dropout_rate={dropout_rate!r}')
        self.dropout = dropout
        self.dropout_rate = float(dropout_rate)
        groups, c = [], in_channels
        for group in GROUPS:
            layers = []
            for width, padding in group:
                layers.append(_conv_bn_lrelu(c, width, padding))
                c = width
            groups.append(nn.Sequential(*layers))
        self.groups = nn.ModuleList(groups)

    def _dropout(self, x: torch.Tensor) -> torch.Tensor:
        if self.dropout == 'off':
            return x
        return F.dropout2d(
            x,
            self.dropout_rate,
            training=self.dropout == 'always' or self.training)

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor]:
        """Return the last feature map as a one-element tuple."""
        if min(x.shape[-2:]) < 28:
            raise ValueError('CoTeachingCNN needs images of at least 28x28 '
                             '(two 2x2 pools, then three unpadded 3x3 '
                             f'convs), got {tuple(x.shape[-2:])}')
        for group in self.groups[:2]:
            x = self._dropout(F.max_pool2d(group(x), 2, 2))
        return (self.groups[2](x), )
