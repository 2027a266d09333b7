# Copyright (c) lnl_mm contributors. All rights reserved.
"""DnCNN: a residual denoising CNN."""
import torch
import torch.nn as nn
from mmengine.model import BaseModule
from mmpretrain.registry import MODELS


@MODELS.register_module()
class DnCNN(BaseModule):
    """Residual denoiser: predicts the noise and subtracts it.

    `Beyond a Gaussian Denoiser: Residual Learning of Deep CNN for Image
    Denoising <https://arxiv.org/abs/1608.03981>`_ (TIP 2017)

    ``conv3x3(C→w, bias) + ReLU``, then ``depth - 2`` times
    ``conv3x3(w→w, no bias) + BN + ReLU``, then ``conv3x3(w→C, no bias)``;
    the output is ``x - net(x)``. Convolutions are initialised orthogonally,
    BatchNorm to weight 1 / bias 0, as in the ALFs denoising code.

    The ALFs code builds BatchNorm with ``eps=1e-4, momentum=0.95``; in
    PyTorch semantics that momentum weights the *current batch* by 0.95 (a
    Keras-style 0.95 carried over unchanged). It is kept as the default, as
    the specification asks; ``bn_momentum=0.05`` gives the Keras meaning.

    Args:
        depth (int): Number of convolutions. Defaults to 17.
        channels (int): Width ``w``. Defaults to 64.
        in_channels (int): Image channels ``C``. Defaults to 1.
        extra_in_channels (int): Channels appended to the image that the
            network reads but does not denoise (noise2self's mask with the
            masker's ``include_mask_as_input``: 1). The output keeps ``C``
            channels, ``x[:, :C] - net(x)``. Defaults to 0.
        bn_momentum (float): Defaults to 0.95 (see above).
        bn_eps (float): Defaults to 1e-4.
        init_cfg (dict, optional): Defaults to None (the init above).
    """

    def __init__(self,
                 depth: int = 17,
                 channels: int = 64,
                 in_channels: int = 1,
                 extra_in_channels: int = 0,
                 bn_momentum: float = 0.95,
                 bn_eps: float = 1e-4,
                 init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        if not isinstance(depth, int) or depth < 2:
            raise ValueError(f'DnCNN: depth must be an int >= 2, got '
                             f'depth={depth!r}')
        if isinstance(extra_in_channels, bool) or not isinstance(
                extra_in_channels, int) or extra_in_channels < 0:
            raise ValueError(f'DnCNN: extra_in_channels must be an int >= 0, '
                             f'got extra_in_channels={extra_in_channels!r}')
        self.in_channels = in_channels
        self.extra_in_channels = extra_in_channels
        layers = [
            nn.Conv2d(
                in_channels + extra_in_channels,
                channels,
                3,
                padding=1,
                bias=True),
            nn.ReLU(inplace=True)
        ]
        for _ in range(depth - 2):
            layers += [
                nn.Conv2d(channels, channels, 3, padding=1, bias=False),
                nn.BatchNorm2d(channels, eps=bn_eps, momentum=bn_momentum),
                nn.ReLU(inplace=True)
            ]
        layers.append(
            nn.Conv2d(channels, in_channels, 3, padding=1, bias=False))
        self.layers = nn.Sequential(*layers)
        self._reset()

    def _reset(self) -> None:
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.orthogonal_(m.weight)
                if m.bias is not None:
                    nn.init.zeros_(m.bias)
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """The denoised image ``x[:, :C] - net(x)``, ``C`` channels."""
        expected = self.in_channels + self.extra_in_channels
        if x.shape[1] != expected:
            raise ValueError(f'DnCNN: expected {expected} input channels '
                             f'({self.in_channels} image + '
                             f'{self.extra_in_channels} extra), got '
                             f'{x.shape[1]}')
        return x[:, :self.in_channels] - self.layers(x)
