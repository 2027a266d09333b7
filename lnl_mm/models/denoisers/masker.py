# Copyright (c) lnl_mm contributors. All rights reserved.
"""Grid masking of noise2self (J-invariant training and inference)."""
from typing import Callable, Tuple

import torch
import torch.nn.functional as F

MASK_MODES = ('zero', 'interpolate', 'random')


def grid_mask(height: int,
              width: int,
              grid: int,
              phase: int,
              device=None) -> torch.Tensor:
    """``(H, W)`` float mask with 1 where ``r % grid == phase % grid`` and
    ``c % grid == (phase // grid) % grid``: phase ``i`` of ``grid**2``."""
    px, py = phase % grid, (phase // grid) % grid
    rows = (torch.arange(height, device=device) % grid) == px
    cols = (torch.arange(width, device=device) % grid) == py
    return (rows[:, None] & cols[None, :]).float()


class GridMasker:
    """noise2self's masker (`Batson & Royer, ICML 2019
    <https://arxiv.org/abs/1901.11365>`_), as used by ALFs.

    Phase ``i`` masks one pixel of every ``width``×``width`` cell, at
    ``(i mod width, (i div width) mod width)``; ``width**2`` consecutive
    phases cover every pixel exactly once. Masked pixels are replaced by 0
    (``zero``), by the mean of their 8 neighbours weighted
    ``[[.5, 1, .5], [1, 0, 1], [.5, 1, .5]] / 6`` (``interpolate``) or by
    U[0, 1) values (``random``, the ALFs choice).

    The two options of the official ``Masker``:

    * ``include_mask_as_input``: the network sees the mask as one more
      input channel (``C + 1`` channels: build the backbone with
      ``in_channels + 1``); a single-pass prediction appends a zero channel.
    * ``infer_single_pass``: :meth:`infer_full_image` makes one pass on the
      unmasked image instead of ``width**2`` masked passes.

    Args:
        width (int): Cell size. Defaults to 5 (ALFs).
        mode (str): ``'zero'``, ``'interpolate'`` or ``'random'``.
            Defaults to ``'random'``.
        include_mask_as_input (bool): Defaults to False (ALFs).
        infer_single_pass (bool): Defaults to False.
    """

    def __init__(self,
                 width: int = 5,
                 mode: str = 'random',
                 include_mask_as_input: bool = False,
                 infer_single_pass: bool = False):
        if not isinstance(width, int) or width < 2:
            raise ValueError(f'masker width must be an int >= 2, got '
                             f'width={width!r}')
        if mode not in MASK_MODES:
            raise ValueError(f'masker mode must be one of {MASK_MODES}, got '
                             f'mode={mode!r}')
        for key, value in (('include_mask_as_input', include_mask_as_input),
                           ('infer_single_pass', infer_single_pass)):
            if not isinstance(value, bool):
                raise TypeError(f'masker {key} must be a bool, got '
                                f'{key}={value!r}')
        self.width = width
        self.mode = mode
        self.include_mask_as_input = include_mask_as_input
        self.infer_single_pass = infer_single_pass

    def __len__(self) -> int:
        return self.width**2

    def mask(self, x: torch.Tensor,
             phase: int) -> Tuple[torch.Tensor, torch.Tensor]:
        """The network input of ``phase`` (the masked image, with the mask
        as an extra channel if ``include_mask_as_input``) and the
        ``(1, 1, H, W)`` mask."""
        mask = grid_mask(x.shape[-2], x.shape[-1], self.width, phase,
                         x.device)[None, None].to(x.dtype)
        keep = 1 - mask
        if self.mode == 'zero':
            fill = torch.zeros_like(x)
        elif self.mode == 'random':
            fill = torch.rand_like(x)
        else:
            kernel = x.new_tensor([[0.5, 1.0, 0.5], [1.0, 0.0, 1.0],
                                   [0.5, 1.0, 0.5]]) / 6.0
            c = x.shape[1]
            fill = F.conv2d(x, kernel.expand(c, 1, 3, 3), padding=1, groups=c)
        masked = x * keep + fill * mask
        if self.include_mask_as_input:
            masked = torch.cat(
                (masked, mask.expand(x.shape[0], 1, *mask.shape[-2:])), dim=1)
        return masked, mask

    def single_pass(self, x: torch.Tensor, model: Callable) -> torch.Tensor:
        """One pass on the unmasked image (a zero mask channel appended
        if ``include_mask_as_input``)."""
        if self.include_mask_as_input:
            x = torch.cat((x, torch.zeros_like(x[:, :1])), dim=1)
        return model(x)

    def infer_full_image(self, x: torch.Tensor,
                         model: Callable) -> torch.Tensor:
        """J-invariant prediction: every pixel comes from the pass in which
        it was masked (``width**2`` forward passes); one unmasked pass if
        ``infer_single_pass``."""
        if self.infer_single_pass:
            return self.single_pass(x, model)
        out = None
        for phase in range(len(self)):
            masked, mask = self.mask(x, phase)
            pred = model(masked) * mask
            out = pred if out is None else out + pred
        return out
