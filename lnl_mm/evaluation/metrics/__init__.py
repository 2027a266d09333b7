# Copyright (c) lnl_mm contributors. All rights reserved.
from .psnr import PSNR, psnr
from .ssim import SSIM

__all__ = ['PSNR', 'SSIM', 'psnr']
